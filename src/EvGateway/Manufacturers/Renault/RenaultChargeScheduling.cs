using System.Collections.Concurrent;
using System.Globalization;
using EvGateway.Charging;
using EvGateway.Vehicles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Refit;

namespace EvGateway.Manufacturers.Renault;

/// <summary>Kamereon's charge-schedule and charge-mode routes (renault.md §2). HTTP shape only.</summary>
internal interface IKamereonScheduleApi
{
    [Get("/commerce/v1/accounts/{accountId}/kamereon/kca/car-adapter/v1/cars/{vin}/charging-settings")]
    Task<KamereonEnvelope<ChargingSettingsAttributes>> GetChargingSettingsAsync(string accountId, string vin, string country,
        CancellationToken cancellationToken);

    /// <summary>Writes the schedules on car-adapter cars; the version segment (v1 or v2) depends on the model.</summary>
    [Post("/commerce/v1/accounts/{accountId}/kamereon/kca/car-adapter/{version}/cars/{vin}/actions/charge-schedule")]
    Task<KamereonEnvelope<ActionEcho>> SetChargeScheduleAsync(string accountId, string version, string vin, string country,
        [Body] KamereonAction<ChargeScheduleAttributes> action, CancellationToken cancellationToken);

    /// <summary>Writes the schedules on KCM cars such as the Megane E-Tech.</summary>
    [Post("/commerce/v1/accounts/{accountId}/kamereon/kcm/v1/vehicles/{vin}/charge/schedule")]
    Task<KamereonEnvelope<ActionEcho>> SetKcmChargeScheduleAsync(string accountId, string vin, string country,
        [Body] KamereonAction<ChargeScheduleAttributes> action, CancellationToken cancellationToken);

    /// <summary>always_charging or schedule_mode.</summary>
    [Post("/commerce/v1/accounts/{accountId}/kamereon/kca/car-adapter/v1/cars/{vin}/actions/charge-mode")]
    Task<KamereonEnvelope<ActionEcho>> SetChargeModeAsync(string accountId, string vin, string country,
        [Body] KamereonAction<ActionAttributes> action, CancellationToken cancellationToken);
}

internal sealed record ChargingSettingsAttributes(string? Mode, IReadOnlyList<KamereonSchedule>? Schedules);

internal sealed record ChargeScheduleAttributes(IReadOnlyList<KamereonSchedule> Schedules);

/// <summary>One schedule as Kamereon writes it: a period object per weekday that has one.</summary>
internal sealed record KamereonSchedule(int Id, bool Activated)
{
    public KamereonPeriod? Monday { get; init; }
    public KamereonPeriod? Tuesday { get; init; }
    public KamereonPeriod? Wednesday { get; init; }
    public KamereonPeriod? Thursday { get; init; }
    public KamereonPeriod? Friday { get; init; }
    public KamereonPeriod? Saturday { get; init; }
    public KamereonPeriod? Sunday { get; init; }

    public IEnumerable<(DayOfWeek Day, KamereonPeriod Period)> Periods()
    {
        var days = new[] { Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday };
        for (var i = 0; i < days.Length; i++)
        {
            if (days[i] is { } period)
            {
                yield return ((DayOfWeek)((i + 1) % 7), period);
            }
        }
    }
}

/// <summary>startTime is "THH:MMZ" (UTC), duration in minutes.</summary>
internal sealed record KamereonPeriod(string? StartTime, int Duration);

/// <summary>
/// Charge schedules of the Renault models that take them through the car-adapter or KCM schedule routes (Zoe,
/// Megane E-Tech, unknown models on the generic routes). The Renault 5 family keeps its schedules in KCM ev/settings,
/// a different shape this does not write, so those cars answer 501, as do the models the capability table gives no
/// schedules (Zoe ZE50, Spring).
/// </summary>
internal sealed class RenaultChargeScheduling(
    IKamereonScheduleApi kamereon,
    IKamereonApi directory,
    RenaultTokenProvider tokens,
    KamereonCalls calls,
    IOptionsMonitor<RenaultOptions> options) : IChargeScheduling
{
    private static readonly HashSet<string> CarAccountTypes = new(["MYRENAULT", "MYDACIA", "MYALPINE"], StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string> accountOfVin = new(StringComparer.OrdinalIgnoreCase);

    private string Country => options.CurrentValue.Country;

    public bool Supports(Vehicle vehicle) =>
        vehicle.Maker == RenaultProvider.MakerName && vehicle.Has(VehicleCapability.ChargeSchedule) && RoutesFor(vehicle.ModelCode) is not null;

    public async Task<CarChargeSchedules> GetAsync(Vehicle vehicle, CancellationToken cancellationToken)
    {
        Routes(vehicle);
        var account = await AccountOfAsync(vehicle.Vin, cancellationToken);
        var answer = await calls.SendAsync(account, vehicle.Vin, "charging settings",
            ct => kamereon.GetChargingSettingsAsync(account, vehicle.Vin, Country, ct), cancellationToken);
        var settings = answer.Data?.Attributes;
        return new CarChargeSchedules(
            settings?.Mode?.Contains("schedul", StringComparison.OrdinalIgnoreCase) == true ? CarChargeMode.Scheduled : CarChargeMode.Always,
            (settings?.Schedules ?? []).Select(ToCar).ToList());
    }

    public async Task SetAsync(Vehicle vehicle, CarChargeSchedules schedules, CancellationToken cancellationToken)
    {
        var routes = Routes(vehicle);
        var (vin, country) = (vehicle.Vin, Country);
        var account = await AccountOfAsync(vin, cancellationToken);
        var body = KamereonAction<ChargeScheduleAttributes>.Of("ChargeSchedule",
            new ChargeScheduleAttributes(schedules.Schedules.Select(ToKamereon).ToList()));
        await calls.SendAsync(account, vin, "charge schedule", ct => routes.Write == ScheduleWrite.Kcm
            ? kamereon.SetKcmChargeScheduleAsync(account, vin, country, body, ct)
            : kamereon.SetChargeScheduleAsync(account, routes.Write == ScheduleWrite.CarAdapterV1 ? "v1" : "v2", vin, country, body, ct),
            cancellationToken);

        var mode = schedules.Mode == CarChargeMode.Scheduled ? "schedule_mode" : "always_charging";
        await calls.SendAsync(account, vin, "charge mode", ct => kamereon.SetChargeModeAsync(account, vin, country,
            KamereonAction<ActionAttributes>.Of("ChargeMode", new ActionAttributes(mode)), ct), cancellationToken);
    }

    private static ScheduleRoutes Routes(Vehicle vehicle) =>
        RoutesFor(vehicle.ModelCode) ?? throw GatewayException.CapabilityNotSupported(vehicle.Vin, "charge schedules through the gateway");

    // renault.md §4: which schedule and mode routes each model takes.
    private static ScheduleRoutes? RoutesFor(string? modelCode) => modelCode switch
    {
        "X101VE" => new(ScheduleWrite.CarAdapterV1),
        "XCB1VE" => new(ScheduleWrite.Kcm),
        "R5E1VE" or "A5E1AE" or "A4E1VE" => null,
        _ => new(ScheduleWrite.CarAdapterV2),
    };

    private async Task<string> AccountOfAsync(string vin, CancellationToken cancellationToken)
    {
        if (options.CurrentValue.AccountId is { Length: > 0 } configured)
        {
            return configured;
        }

        if (accountOfVin.TryGetValue(vin, out var known))
        {
            return known;
        }

        var personId = await tokens.GetPersonIdAsync(cancellationToken);
        var person = await calls.SendAsync(personId, "", "account list", ct => directory.GetPersonAsync(personId, Country, ct), cancellationToken);
        foreach (var account in (person.Accounts ?? []).Where(a => a.AccountId is { Length: > 0 } && a.AccountType is not null
                                                                   && CarAccountTypes.Contains(a.AccountType)))
        {
            var id = account.AccountId!;
            var vehicles = await calls.SendAsync(id, "", "vehicle list", ct => directory.GetVehiclesAsync(id, Country, ct), cancellationToken);
            foreach (var link in vehicles.VehicleLinks ?? [])
            {
                if (link.Vin is { Length: > 0 } linked)
                {
                    accountOfVin[linked] = id;
                }
            }
        }

        return accountOfVin.TryGetValue(vin, out known) ? known : throw GatewayException.VehicleNotFound(vin);
    }

    private static CarSchedule ToCar(KamereonSchedule schedule) => new(
        schedule.Id,
        schedule.Activated,
        schedule.Periods()
            .Where(p => TimeOnly.TryParseExact(p.Period.StartTime, "'T'HH':'mm'Z'", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            .Select(p => new CarPeriod(p.Day,
                TimeOnly.ParseExact(p.Period.StartTime!, "'T'HH':'mm'Z'", CultureInfo.InvariantCulture), p.Period.Duration))
            .ToList());

    private static KamereonSchedule ToKamereon(CarSchedule schedule)
    {
        KamereonPeriod? On(DayOfWeek day) => schedule.Periods.FirstOrDefault(p => p.Day == day) is { } period
            ? new KamereonPeriod(period.StartUtc.ToString("'T'HH':'mm'Z'", CultureInfo.InvariantCulture), period.DurationMinutes)
            : null;

        return new KamereonSchedule(schedule.Id, schedule.Activated)
        {
            Monday = On(DayOfWeek.Monday),
            Tuesday = On(DayOfWeek.Tuesday),
            Wednesday = On(DayOfWeek.Wednesday),
            Thursday = On(DayOfWeek.Thursday),
            Friday = On(DayOfWeek.Friday),
            Saturday = On(DayOfWeek.Saturday),
            Sunday = On(DayOfWeek.Sunday),
        };
    }

    private enum ScheduleWrite
    {
        CarAdapterV1,
        CarAdapterV2,
        Kcm,
    }

    private sealed record ScheduleRoutes(ScheduleWrite Write);
}

internal static class RenaultChargeSchedulingExtensions
{
    /// <summary>Registers Renault charge schedules for the charging feature (called by AddRenault).</summary>
    public static IServiceCollection AddRenaultChargeScheduling(this IServiceCollection services)
    {
        services.AddRefitGeneratedClient<IKamereonScheduleApi>(new RefitSettings(new SystemTextJsonContentSerializer(RenaultJson.Options)))
            .ConfigureHttpClient((sp, client) =>
            {
                client.BaseAddress = new Uri(sp.GetRequiredService<IOptions<RenaultOptions>>().Value.KamereonUrl);
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler<KamereonAuthHandler>()
            .AddStandardResilienceHandler()
            .Configure((resilience, sp) =>
            {
                // A schedule write is not replayed blindly: KamereonCalls reports the failure and the caller decides.
                resilience.Retry.DisableForUnsafeHttpMethods();
                resilience.AttemptTimeout.Timeout = sp.GetRequiredService<IOptions<RenaultOptions>>().Value.RequestTimeout;
                resilience.TotalRequestTimeout.Timeout = resilience.AttemptTimeout.Timeout * 4;
                resilience.CircuitBreaker.SamplingDuration = resilience.AttemptTimeout.Timeout * 2;
            });
        services.AddSingleton<IChargeScheduling, RenaultChargeScheduling>();
        return services;
    }
}
