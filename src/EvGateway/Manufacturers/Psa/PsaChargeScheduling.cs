using EvGateway.Charging;
using EvGateway.Hosting;
using EvGateway.Vehicles;
using Microsoft.Extensions.Options;

namespace EvGateway.Manufacturers.Psa;

/// <summary>
/// PSA's charge schedule is the delayed-charge hour (psa.md §2 <c>nextDelayedTime</c>, §3 <c>/VehCharge</c>): in
/// delayed mode the car waits and starts every day at that time on its own clock, then charges until full or until it
/// is stopped (charge control's threshold); in immediate mode it charges whenever plugged. Writes go through the
/// remote-command door like any other PSA command, so they need the same opt-in and land on the car by MQTT.
/// </summary>
internal sealed class PsaChargeScheduling(
    VehicleDirectory directory,
    VehicleStatusCache cache,
    VehicleCommands commands,
    IOptions<PsaOptions> psa,
    IOptionsMonitor<GatewayOptions> gateway,
    PsaProvider? provider = null) : IDailyChargeScheduling
{
    public bool Supports(Vehicle vehicle) => vehicle.Maker == PsaProvider.MakerName && vehicle.Has(VehicleCapability.ChargeSchedule);

    public DailyChargeForm Form(Vehicle vehicle) => DailyChargeForm.Start;

    /// <summary>
    /// The mode is the armed programme as the car's last charge event or the gateway's last /VehCharge left it; when
    /// neither is known (the REST status does not name it), a car waiting for its hour reads as scheduled and any
    /// other as always. The hour is the one the car announces.
    /// </summary>
    public async Task<CarDailyCharge> GetAsync(Vehicle vehicle, CancellationToken cancellationToken)
    {
        var status = await StatusAsync(vehicle.Vin, cancellationToken);
        var armed = provider?.DelayedProgrammeArmed(vehicle.Vin) ?? status.ChargeState == ChargeState.Waiting;
        var mode = armed ? CarChargeMode.Scheduled : CarChargeMode.Always;
        return new CarDailyCharge(mode, status.NextDelayedChargeStart, null);
    }

    public async Task<CarDailyCharge> SetAsync(Vehicle vehicle, CarDailyCharge charge, CancellationToken cancellationToken)
    {
        // The hour is kept when none is given: the one the car announces, else the configured default.
        var start = charge.Start ?? (await StatusAsync(vehicle.Vin, cancellationToken)).NextDelayedChargeStart ?? psa.Value.DefaultDelayedStart;
        var command = charge.Mode == CarChargeMode.Always
            ? new VehicleCommand(VehicleCommandKind.ChargeStart)
            : new VehicleCommand(VehicleCommandKind.SetDelayedChargeStart) { At = start };
        await commands.SendAsync(vehicle.Vin, command, cancellationToken);
        return charge with { Start = start };
    }

    private async Task<VehicleStatus> StatusAsync(string vin, CancellationToken cancellationToken) =>
        await cache.GetAsync(await directory.FindAsync(vin, cancellationToken),
            TimeSpan.FromSeconds(gateway.CurrentValue.StatusMaxAgeSeconds), cancellationToken);
}
