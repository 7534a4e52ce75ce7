using System.Collections.Concurrent;
using EvGateway.Manufacturers.Psa;
using EvGateway.Manufacturers.Renault;
using EvGateway.Simulator.Cars;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Capabilities;

namespace EvGateway.Tests.TestSupport;

/// <summary>
/// A maker adapter over <see cref="SimulatedCar"/>s, for driving charging logic in simulated time without a cloud:
/// commands act on the car, reads return what the car reports. Can be told to misbehave the ways real clouds do.
/// As AddPsa does for PSA cars, a stand-in for PSA offers its delayed-charge hour as the car's schedule, set through
/// the remote-command door; it reports no armed programme, so the mode is read from the car's charge state.
/// </summary>
internal sealed class SimulatedCarsProvider(string maker, TimeProvider time, TimeZoneInfo zone) : IVehicleProvider, IDelayedChargeStart
{
    public static readonly CarSpec E208 = new("e-208", CapacityKwh: 46, ChargePowerKw: 7.4, ConsumptionKwhPer100Km: 15);

    private readonly ConcurrentDictionary<string, Car> cars = new(StringComparer.OrdinalIgnoreCase);
    private int statusReads;

    public string Maker { get; } = maker;
    public bool IsConfigured => true;
    public ProviderHealth Health => ProviderHealth.LoggedIn;

    /// <summary>The real adapter's rules for the maker it stands in for.</summary>
    public ChargeWatchRules ChargeWatch { get; } = maker == RenaultProvider.MakerName ? RenaultProvider.WatchRules : PsaProvider.WatchRules;
    public event Action<VehicleStatus>? StatusPushed;

    /// <summary>Stop commands are accepted but the car goes on charging (a car that misses the command).</summary>
    public bool IgnoreStops { get; set; }

    /// <summary>Thrown by every status read while set.</summary>
    public Exception? FailReads { get; set; }

    /// <summary>Thrown by every wake-up while set (the adapter's wake-up policy refusing it).</summary>
    public Exception? FailWakeUps { get; set; }

    public int StatusReads => statusReads;

    public TimeOnly DefaultStart => new(22, 30);

    public IReadOnlyList<VehicleCommand> CommandsFor(string vin) => cars[vin].Commands.ToArray();

    public SimulatedCar CarFor(string vin) => cars[vin].Simulated;

    public SimulatedCar Add(string vin, double level, bool charging, CarSpec? spec = null, bool reportsOnlyWhenWoken = false,
        params VehicleCapability[] capabilities)
    {
        spec ??= E208;
        var simulated = new SimulatedCar(vin, time, spec, level, plugged: true, charging, odometerKm: 12000, 48.85, 2.29);
        IReadOnlySet<VehicleCapability> can = capabilities.Length > 0
            ? capabilities.ToHashSet()
            : new HashSet<VehicleCapability> { VehicleCapability.BatteryStatus, VehicleCapability.ChargeStart, VehicleCapability.ChargeStop };
        var vehicle = new Vehicle(vin, Maker, "Peugeot", spec.Model, null, can, spec.CapacityKwh);
        cars[vin] = new Car(vehicle, simulated, reportsOnlyWhenWoken) { Reported = simulated.Read() };
        return simulated;
    }

    public bool Supports(Vehicle vehicle) =>
        Maker == PsaProvider.MakerName && vehicle.Maker == Maker && vehicle.Has(VehicleCapability.ChargeSchedule);

    public bool? IsDelayedStartArmed(string vin) => null;

    public Task<IReadOnlyList<Vehicle>> GetVehiclesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Vehicle>>(cars.Values.Select(c => c.Vehicle).ToList());

    public Task<VehicleStatus> GetStatusAsync(Vehicle vehicle, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref statusReads);
        if (FailReads is { } failure)
        {
            throw failure;
        }

        var car = cars[vehicle.Vin];
        if (!car.ReportsOnlyWhenWoken)
        {
            car.Reported = car.Simulated.Read();
        }

        return Task.FromResult(ToStatus(vehicle, car.Reported!));
    }

    public Task<CommandOutcome> SendCommandAsync(Vehicle vehicle, VehicleCommand command, CancellationToken cancellationToken)
    {
        var car = cars[vehicle.Vin];
        if (command.Kind == VehicleCommandKind.WakeUp && FailWakeUps is { } refused)
        {
            throw refused;
        }

        car.Commands.Enqueue(command);
        switch (command.Kind)
        {
            case VehicleCommandKind.ChargeStop when !IgnoreStops:
                car.Simulated.StopCharging();
                break;
            case VehicleCommandKind.ChargeStart:
                car.Simulated.StartCharging();
                break;
            case VehicleCommandKind.WakeUp:
                car.Reported = car.Simulated.Read();
                StatusPushed?.Invoke(ToStatus(vehicle, car.Reported!));
                break;
            case VehicleCommandKind.SetDelayedChargeStart when command.At is { } at:
                car.Simulated.StopCharging();
                car.Simulated.ChargeSchedule = (instant, charging) =>
                    charging || TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime) is var local
                    && local >= at && local < at.AddMinutes(1);
                break;
        }

        return Task.FromResult(new CommandOutcome(true, "accepted"));
    }

    private VehicleStatus ToStatus(Vehicle vehicle, CarSnapshot snapshot) => new()
    {
        Vin = vehicle.Vin,
        Brand = vehicle.Brand,
        Model = vehicle.Model,
        BatteryLevel = snapshot.Level,
        PlugState = snapshot.Plugged ? PlugState.Plugged : PlugState.Unplugged,
        ChargeState = snapshot.Charging ? ChargeState.Charging : snapshot.ChargeEnded ? ChargeState.Ended : ChargeState.NotCharging,
        ChargePowerKw = snapshot.ChargePowerKw,
        UpdatedAt = snapshot.Timestamp,
        FetchedAt = time.GetUtcNow(),
    };

    private sealed class Car(Vehicle vehicle, SimulatedCar simulated, bool reportsOnlyWhenWoken)
    {
        public Vehicle Vehicle { get; } = vehicle;
        public SimulatedCar Simulated { get; } = simulated;
        public bool ReportsOnlyWhenWoken { get; } = reportsOnlyWhenWoken;
        public ConcurrentQueue<VehicleCommand> Commands { get; } = new();
        public CarSnapshot? Reported { get; set; }
    }
}
