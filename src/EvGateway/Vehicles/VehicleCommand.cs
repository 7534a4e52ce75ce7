namespace EvGateway.Vehicles;

/// <summary>A remote action. Parameters that a command does not use stay null.</summary>
public sealed record VehicleCommand(VehicleCommandKind Kind)
{
    /// <summary>Horn: how many times. Lights: how many seconds.</summary>
    public int? Count { get; init; }

    /// <summary>Climate: cabin target in °C.</summary>
    public double? TargetTemperatureC { get; init; }

    /// <summary>Delayed charge: local time of day at which the car should start charging.</summary>
    public TimeOnly? At { get; init; }
}

public enum VehicleCommandKind
{
    WakeUp,
    ChargeStart,
    ChargeStop,
    ClimateStart,
    ClimateStop,
    Lock,
    Unlock,
    Horn,
    Lights,
    SetDelayedChargeStart,
}

/// <summary>What the cloud or the car said about a command the gateway sent.</summary>
/// <param name="Accepted">True when the car (or the cloud, for makers that do not report the car's reply) accepted it.</param>
/// <param name="Detail">A short human-readable outcome.</param>
/// <param name="CorrelationId">The maker's id for the request, where it has one.</param>
public sealed record CommandOutcome(bool Accepted, string Detail, string? CorrelationId = null);
