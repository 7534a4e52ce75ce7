using System.Globalization;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Extensions.Options;

namespace EvGateway.Manufacturers.Renault;

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
/// Megane E-Tech, unknown models on the generic routes). The Renault 5 family and the Master keep one daily window in
/// KCM ev/settings instead (<see cref="RenaultEvSettingsScheduling"/>); the models the capability table gives no
/// schedules (Zoe ZE50, Spring) answer 501.
/// </summary>
internal sealed class RenaultChargeScheduling(
    IKamereonApi kamereon,
    RenaultProvider cars,
    KamereonCalls calls,
    IOptionsMonitor<RenaultOptions> options) : IChargeScheduling
{
    private string Country => options.CurrentValue.Country;

    public bool Supports(Vehicle vehicle) =>
        vehicle.Maker == RenaultProvider.MakerName && vehicle.Has(VehicleCapability.ChargeSchedule) && RoutesFor(vehicle.ModelCode) is not null;

    public async Task<CarChargeSchedules> GetAsync(Vehicle vehicle, CancellationToken cancellationToken)
    {
        Routes(vehicle);
        var account = await cars.AccountOfAsync(vehicle.Vin, cancellationToken);
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
        var account = await cars.AccountOfAsync(vin, cancellationToken);
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
        _ when EvSettingsClient.Keeps(modelCode) => null,
        _ => new(ScheduleWrite.CarAdapterV2),
    };

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
