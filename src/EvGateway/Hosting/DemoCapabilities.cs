using EvGateway.Vehicles;
using EvGateway.Vehicles.Capabilities;

namespace EvGateway.Hosting;

/// <summary>
/// The capability ports of demo mode's adapters, offered beside the owner's own while the demo runs: charge control,
/// schedules and smart charging find them by asking <c>Supports</c> like any maker's.
/// </summary>
internal abstract class DemoCapability<TPort>(DemoClouds demo) where TPort : class, ICapabilityPort
{
    public bool Supports(Vehicle vehicle) => PortFor(vehicle) is not null;

    protected TPort For(Vehicle vehicle) => PortFor(vehicle) ?? throw GatewayException.CapabilityNotSupported(vehicle.Vin, "this on a demo car");

    protected IEnumerable<TPort> Ports => demo.Adapters?.GetServices<TPort>() ?? [];

    protected TPort? PortFor(Vehicle vehicle) => Ports.FirstOrDefault(port => port.Supports(vehicle));
}

internal sealed class DemoChargeLimit(DemoClouds demo) : DemoCapability<IChargeLimit>(demo), IChargeLimit
{
    public ChargeLimitSteps Steps(Vehicle vehicle) => For(vehicle).Steps(vehicle);

    public Task SetAsync(Vehicle vehicle, int targetPercent, CancellationToken cancellationToken) =>
        For(vehicle).SetAsync(vehicle, targetPercent, cancellationToken);
}

internal sealed class DemoChargeScheduling(DemoClouds demo) : DemoCapability<IChargeScheduling>(demo), IChargeScheduling
{
    public Task<CarChargeSchedules> GetAsync(Vehicle vehicle, CancellationToken cancellationToken) =>
        For(vehicle).GetAsync(vehicle, cancellationToken);

    public Task SetAsync(Vehicle vehicle, CarChargeSchedules schedules, CancellationToken cancellationToken) =>
        For(vehicle).SetAsync(vehicle, schedules, cancellationToken);
}

internal sealed class DemoDailyChargeScheduling(DemoClouds demo) : DemoCapability<IDailyChargeScheduling>(demo), IDailyChargeScheduling
{
    public DailyChargeForm Form(Vehicle vehicle) => For(vehicle).Form(vehicle);

    public Task<CarDailyCharge> GetAsync(Vehicle vehicle, CancellationToken cancellationToken) => For(vehicle).GetAsync(vehicle, cancellationToken);

    public Task<CarDailyCharge> SetAsync(Vehicle vehicle, CarDailyCharge charge, CancellationToken cancellationToken) =>
        For(vehicle).SetAsync(vehicle, charge, cancellationToken);
}

internal sealed class DemoDelayedChargeStart(DemoClouds demo) : DemoCapability<IDelayedChargeStart>(demo), IDelayedChargeStart
{
    public bool? IsDelayedStartArmed(string vin) => Ports.Select(port => port.IsDelayedStartArmed(vin)).FirstOrDefault(armed => armed is not null);

    // Asked only for a car a demo port supports, so one is there.
    public TimeOnly DefaultStart => Ports.First().DefaultStart;
}
