namespace EvGateway.Vehicles.Capabilities;

/// <summary>
/// A maker whose cars keep a delayed-charge hour (PSA): armed, the car waits and starts every day at that hour on its
/// own clock, then charges until full or until it is stopped; disarmed, it charges whenever plugged. The hour is part
/// of the car's status (<see cref="VehicleStatus.NextDelayedChargeStart"/>) and is set with
/// <see cref="VehicleCommandKind.SetDelayedChargeStart"/>; what the status does not say is which programme is armed.
/// </summary>
public interface IDelayedChargeStart : ICapabilityPort
{
    /// <summary>The armed programme as the car's last charge event or the gateway's last command left it; null when unknown.</summary>
    bool? IsDelayedStartArmed(string vin);

    /// <summary>The hour written when a car announces none and the owner gave none.</summary>
    TimeOnly DefaultStart { get; }
}
