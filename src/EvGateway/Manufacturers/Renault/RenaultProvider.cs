using System.Collections.Concurrent;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Budget;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EvGateway.Manufacturers.Renault;

/// <summary>
/// Renault, Dacia and Alpine cars through Gigya + Kamereon. Reads only the endpoints a model has, learns which ones each
/// car lacks (<see cref="MissingEndpoints"/>, any model) and which commands an unknown model lacks, and sends each
/// model's remote commands by the route that model understands.
/// </summary>
internal sealed partial class RenaultProvider(
    IKamereonApi kamereon,
    RenaultTokenProvider tokens,
    RenaultLoginFlow login,
    KamereonCalls calls,
    EvSettingsClient evSettings,
    MissingEndpoints missing,
    IOptionsMonitor<RenaultOptions> options,
    TimeProvider time,
    ILogger<RenaultProvider> logger) : IVehicleProvider
{
    public const string MakerName = "Renault";

    // What the MyRenault app preselects for preconditioning.
    private const double DefaultCabinTemperatureC = 21;

    private static readonly HashSet<string> CarAccountTypes = new(["MYRENAULT", "MYDACIA", "MYALPINE"], StringComparer.OrdinalIgnoreCase);

    private readonly ConcurrentDictionary<string, RenaultCar> cars = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<VehicleCapability, bool>> learntMissing = new(StringComparer.OrdinalIgnoreCase);

    public string Maker => MakerName;

    public bool IsConfigured => login.HasAccount;

    /// <summary>
    /// Renault's account quota is about 60 calls an hour and one status read costs up to four of them (battery,
    /// cockpit, location, climate): a read every 5 minutes is 12 reads, at most 48 calls, and the status cache lets the
    /// owner's own reads share them. Renault cars cannot be woken remotely.
    /// </summary>
    public static readonly ChargeWatchRules WatchRules = new(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(5));

    public ChargeWatchRules ChargeWatch => WatchRules;

    public ProviderHealth Health => tokens.Health;

    // Kamereon never pushes; the event exists only because the contract has it.
    public event Action<VehicleStatus>? StatusPushed
    {
        add { }
        remove { }
    }

    private string Country => options.CurrentValue.Country;

    public async Task<IReadOnlyList<Vehicle>> GetVehiclesAsync(CancellationToken cancellationToken)
    {
        var vehicles = new List<Vehicle>();
        foreach (var accountId in await AccountIdsAsync(cancellationToken))
        {
            var answer = await calls.SendAsync(accountId, "", "vehicle list",
                ct => kamereon.GetVehiclesAsync(accountId, Country, ct), cancellationToken);
            foreach (var link in answer.VehicleLinks ?? [])
            {
                if (string.IsNullOrEmpty(link.Vin))
                {
                    continue;
                }

                var model = RenaultCapabilities.For(link.VehicleDetails?.Model?.Code);
                cars[link.Vin] = new RenaultCar(accountId, model, link.VehicleDetails?.Electrical == true);
                vehicles.Add(ToVehicle(link, model));
            }
        }

        return vehicles;
    }

    public async Task<VehicleStatus> GetStatusAsync(Vehicle vehicle, CancellationToken cancellationToken)
    {
        var car = await FindCarAsync(vehicle.Vin, cancellationToken);
        var (account, vin, country) = (car.AccountId, vehicle.Vin, Country);
        var battery = ReadAsync(vehicle, car, VehicleCapability.BatteryStatus, "battery status",
            ct => kamereon.GetBatteryStatusAsync(account, vin, country, ct), cancellationToken);
        var cockpit = ReadAsync(vehicle, car, VehicleCapability.Odometer, "cockpit",
            ct => kamereon.GetCockpitAsync(account, car.Model.CockpitVersion, vin, country, ct), cancellationToken);
        var location = ReadAsync(vehicle, car, VehicleCapability.Location, "location",
            ct => kamereon.GetLocationAsync(account, vin, country, ct), cancellationToken);
        var hvac = ReadAsync(vehicle, car, VehicleCapability.ClimateStatus, "climate status",
            ct => kamereon.GetHvacStatusAsync(account, vin, country, ct), cancellationToken);
        await Task.WhenAll(battery, cockpit, location, hvac);

        var status = RenaultMapping.ToStatus(vehicle, car.Model, time.GetUtcNow(), await battery, await cockpit, await location, await hvac);
        return status with { UnknownFields = missing.Of(vin) };
    }

    public async Task<CommandOutcome> SendCommandAsync(Vehicle vehicle, VehicleCommand command, CancellationToken cancellationToken)
    {
        var model = RenaultCapabilities.For(vehicle.ModelCode);
        var (capability, what) = Describe(command.Kind);
        var route = command.Kind switch
        {
            VehicleCommandKind.ChargeStart => model.StartRoute,
            VehicleCommandKind.ChargeStop => model.StopRoute,
            _ => ChargeRoute.None,
        };
        if (capability is not { } needed || !vehicle.Has(needed) || IsLearntMissing(vehicle.Vin, needed)
            || (command.Kind is VehicleCommandKind.ChargeStart or VehicleCommandKind.ChargeStop && route == ChargeRoute.None))
        {
            throw GatewayException.CapabilityNotSupported(vehicle.Vin, what);
        }

        var car = await FindCarAsync(vehicle.Vin, cancellationToken);
        if (route == ChargeRoute.KcmEvSettings)
        {
            // These cars start by switching to ALWAYS: a plugged car charges at once and until it is full.
            await evSettings.UpdateAsync(car.AccountId, vehicle.Vin, what,
                settings => settings["chargeModeRq"] = EvSettingsClient.Always, cancellationToken);
            return new CommandOutcome(true, $"The Renault cloud accepted the {what} request (charge mode set to always).", null);
        }

        var answer = await LearnIfMissingAsync(vehicle.Vin, car.Model, needed, what,
            () => calls.SendAsync(car.AccountId, vehicle.Vin, what, ct => SendActionAsync(car.AccountId, vehicle.Vin, command, route, ct), cancellationToken));

        return new CommandOutcome(true, $"The Renault cloud accepted the {what} request.", answer.Data?.Id);
    }

    // One POST per command, by the route the model understands (renault.md §2 actions, §4 per-model routes).
    private Task<KamereonEnvelope<ActionEcho>> SendActionAsync(string account, string vin, VehicleCommand command, ChargeRoute route,
        CancellationToken cancellationToken)
    {
        var country = Country;
        var start = command.Kind == VehicleCommandKind.ChargeStart;
        return command.Kind switch
        {
            VehicleCommandKind.ChargeStart or VehicleCommandKind.ChargeStop => route switch
            {
                ChargeRoute.CarAdapterChargingStart =>
                    kamereon.ChargingStartAsync(account, vin, country, Simple("ChargingStart", start ? "start" : "stop"), cancellationToken),
                ChargeRoute.KcmPauseResume =>
                    kamereon.ChargePauseResumeAsync(account, vin, country, Simple("ChargePauseResume", start ? "resume" : "pause"), cancellationToken),
                _ => kamereon.KcmChargeStartAsync(account, vin, country, Simple("ChargeStart", null), cancellationToken),
            },
            VehicleCommandKind.ClimateStart => kamereon.HvacStartAsync(account, vin, country,
                KamereonAction<HvacStartAttributes>.Of("HvacStart", new HvacStartAttributes("start", command.TargetTemperatureC ?? DefaultCabinTemperatureC)),
                cancellationToken),
            VehicleCommandKind.ClimateStop => kamereon.HvacStartAsync(account, vin, country,
                KamereonAction<HvacStartAttributes>.Of("HvacStart", new HvacStartAttributes("cancel", null)), cancellationToken),
            _ => kamereon.HornLightsAsync(account, vin, country,
                KamereonAction<HornLightsAttributes>.Of("HornLights",
                    new HornLightsAttributes("start", command.Kind == VehicleCommandKind.Horn ? "horn" : "lights")), cancellationToken),
        };

        static KamereonAction<ActionAttributes> Simple(string type, string? action) =>
            KamereonAction<ActionAttributes>.Of(type, new ActionAttributes(action));
    }

    private static (VehicleCapability? Capability, string What) Describe(VehicleCommandKind kind) => kind switch
    {
        VehicleCommandKind.ChargeStart => (VehicleCapability.ChargeStart, "remote charge start"),
        VehicleCommandKind.ChargeStop => (VehicleCapability.ChargeStop, "remote charge stop"),
        VehicleCommandKind.ClimateStart => (VehicleCapability.ClimateControl, "remote climate start"),
        VehicleCommandKind.ClimateStop => (VehicleCapability.ClimateControl, "remote climate stop"),
        VehicleCommandKind.Horn => (VehicleCapability.HornLights, "remote horn"),
        VehicleCommandKind.Lights => (VehicleCapability.HornLights, "remote lights"),
        _ => (null, $"the {kind} command through the Renault cloud"),
    };

    private async Task<IReadOnlyList<string>> AccountIdsAsync(CancellationToken cancellationToken)
    {
        if (options.CurrentValue.AccountId is { Length: > 0 } configured)
        {
            return [configured];
        }

        var personId = await tokens.GetPersonIdAsync(cancellationToken);
        var person = await calls.SendAsync(personId, "", "account list", ct => kamereon.GetPersonAsync(personId, Country, ct), cancellationToken);
        return (person.Accounts ?? [])
            .Where(a => a.AccountId is { Length: > 0 } && a.AccountType is not null && CarAccountTypes.Contains(a.AccountType))
            .Select(a => a.AccountId!)
            .ToList();
    }

    /// <summary>The Kamereon account the car is on (charge schedules are written through it).</summary>
    internal async Task<string> AccountOfAsync(string vin, CancellationToken cancellationToken) =>
        (await FindCarAsync(vin, cancellationToken)).AccountId;

    private async Task<RenaultCar> FindCarAsync(string vin, CancellationToken cancellationToken)
    {
        if (cars.TryGetValue(vin, out var car))
        {
            return car;
        }

        await GetVehiclesAsync(cancellationToken);
        return cars.TryGetValue(vin, out car) ? car : throw GatewayException.VehicleNotFound(vin);
    }

    // An optional part of the status: absent when the model lacks it, or the car was found to lack it within a day.
    // The model's table is asked rather than the listed car's capabilities, which leave out today's gaps: a gap that
    // ended must be probed again.
    private async Task<T?> ReadAsync<T>(Vehicle vehicle, RenaultCar car, VehicleCapability capability, string what,
        Func<CancellationToken, Task<KamereonEnvelope<T>>> read, CancellationToken cancellationToken) where T : class
    {
        var field = StatusField(capability);
        if (!RenaultCapabilities.Of(car.Model, car.Electrical, []).Contains(capability) || missing.IsMissing(vehicle.Vin, field))
        {
            return null;
        }

        try
        {
            var answer = await calls.SendAsync(car.AccountId, vehicle.Vin, what, read, cancellationToken);
            await missing.AnsweredAsync(vehicle.Vin, field);
            return answer.Data?.Attributes;
        }
        catch (GatewayException e) when (e.Code == ErrorCodes.CapabilityNotSupported)
        {
            await missing.LearnAsync(vehicle.Vin, field);
            return null;
        }
    }

    // The status field each read fills, as unknownFields names it.
    private static string StatusField(VehicleCapability capability) => capability switch
    {
        VehicleCapability.BatteryStatus => "battery",
        VehicleCapability.Odometer => "odometer",
        VehicleCapability.Location => "location",
        _ => "climate",
    };

    private static readonly (VehicleCapability Capability, string Field)[] StatusReads =
        [.. new[] { VehicleCapability.BatteryStatus, VehicleCapability.Odometer, VehicleCapability.Location, VehicleCapability.ClimateStatus }
            .Select(capability => (capability, StatusField(capability)))];

    // For a model outside the table, a command answered "not supported" is remembered so that it costs no more quota
    // for this car; a known model's table is trusted over one odd answer.
    private async Task<T> LearnIfMissingAsync<T>(string vin, RenaultModel model, VehicleCapability capability, string what, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (GatewayException e) when (e.Code == ErrorCodes.CapabilityNotSupported && !model.Known)
        {
            learntMissing.GetOrAdd(vin, _ => new ConcurrentDictionary<VehicleCapability, bool>())[capability] = true;
            LogCapabilityLearnt(vin, model.Code, what);
            throw;
        }
    }

    private bool IsLearntMissing(string vin, VehicleCapability capability) =>
        learntMissing.TryGetValue(vin, out var missing) && missing.ContainsKey(capability);

    private Vehicle ToVehicle(KamereonVehicleLink link, RenaultModel model)
    {
        var details = link.VehicleDetails;
        var vin = link.Vin!;
        var electrical = details?.Electrical == true;
        var lacking = learntMissing.TryGetValue(vin, out var learnt) ? learnt.Keys.ToList() : [];
        lacking.AddRange(StatusReads.Where(read => missing.IsMissing(vin, read.Field)).Select(read => read.Capability));
        return new Vehicle(
            vin,
            MakerName,
            BrandName(link.Brand ?? details?.Brand?.Label),
            details?.Model?.Label?.Trim() is { Length: > 0 } label ? label : model.Code,
            details?.Model?.Code,
            RenaultCapabilities.Of(model, electrical, lacking),
            model.BatteryCapacityKwh);
    }

    private static string BrandName(string? brand) => brand?.Trim().ToUpperInvariant() switch
    {
        "DACIA" => "Dacia",
        "ALPINE" => "Alpine",
        _ => "Renault",
    };

    private sealed record RenaultCar(string AccountId, RenaultModel Model, bool Electrical);

    [LoggerMessage(Level = LogLevel.Information, Message = "Renault car {Vin} (model {ModelCode}) has no {What}; not asking for it again")]
    private partial void LogCapabilityLearnt(string vin, string modelCode, string what);
}
