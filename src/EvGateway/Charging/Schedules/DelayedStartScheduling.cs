using EvGateway.Vehicles;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging.Schedules;

/// <summary>
/// The daily charge time of cars that keep a delayed-charge hour (<see cref="IDelayedChargeStart"/>), offered in the
/// "daily_start" form. Armed, the car waits for its hour and then charges until full or until charge control stops
/// it; disarmed, it charges whenever plugged. Writes are remote commands, so they pass the command door (opt-ins,
/// capabilities) like any other and land on the car by the maker's own channel.
/// </summary>
internal sealed class DelayedStartScheduling(
    IEnumerable<IDelayedChargeStart> delayedStarts,
    VehicleDirectory directory,
    VehicleStatusCache cache,
    VehicleCommands commands,
    IOptionsMonitor<GatewayOptions> gateway) : IDailyChargeScheduling
{
    public bool Supports(Vehicle vehicle) => PortFor(vehicle) is not null;

    public DailyChargeForm Form(Vehicle vehicle) => DailyChargeForm.Start;

    /// <summary>
    /// The mode is the armed programme as the car or the gateway's last command left it; when neither is known, a car
    /// waiting for its hour reads as scheduled and any other as always. The hour is the one the car announces.
    /// </summary>
    public async Task<CarDailyCharge> GetAsync(Vehicle vehicle, CancellationToken cancellationToken)
    {
        var status = await StatusAsync(vehicle.Vin, cancellationToken);
        var armed = PortFor(vehicle)?.IsDelayedStartArmed(vehicle.Vin) ?? status.ChargeState == ChargeState.Waiting;
        return new CarDailyCharge(armed ? CarChargeMode.Scheduled : CarChargeMode.Always, status.NextDelayedChargeStart, null);
    }

    public async Task<CarDailyCharge> SetAsync(Vehicle vehicle, CarDailyCharge charge, CancellationToken cancellationToken)
    {
        // The hour is kept when none is given: the one the car announces, else the maker's default.
        var start = charge.Start
                    ?? (await StatusAsync(vehicle.Vin, cancellationToken)).NextDelayedChargeStart
                    ?? PortFor(vehicle)!.DefaultStart;
        var command = charge.Mode == CarChargeMode.Always
            ? new VehicleCommand(VehicleCommandKind.ChargeStart)
            : new VehicleCommand(VehicleCommandKind.SetDelayedChargeStart) { At = start };
        await commands.SendAsync(vehicle.Vin, command, cancellationToken);
        return charge with { Start = start };
    }

    private IDelayedChargeStart? PortFor(Vehicle vehicle) => delayedStarts.FirstOrDefault(port => port.Supports(vehicle));

    private async Task<VehicleStatus> StatusAsync(string vin, CancellationToken cancellationToken) =>
        await cache.GetAsync(await directory.FindAsync(vin, cancellationToken),
            TimeSpan.FromSeconds(gateway.CurrentValue.StatusMaxAgeSeconds), cancellationToken);
}
