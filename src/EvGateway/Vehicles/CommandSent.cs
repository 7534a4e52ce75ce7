namespace EvGateway.Vehicles;

/// <summary>
/// A command that went through <see cref="VehicleCommands"/>: what was asked of which car and how it ended, so live
/// surfaces (event stream, MQTT) can tell their readers without asking the cloud.
/// </summary>
/// <param name="Vin">The car.</param>
/// <param name="Kind">The command.</param>
/// <param name="Accepted">True when the car (or its cloud) accepted it.</param>
/// <param name="Detail">A short outcome in words, safe to show (no secrets).</param>
/// <param name="ErrorCode">The stable code (<see cref="ErrorCodes"/>) when the gateway or the cloud refused it; null otherwise.</param>
/// <param name="At">When the gateway finished with it.</param>
public sealed record CommandSent(string Vin, VehicleCommandKind Kind, bool Accepted, string Detail, string? ErrorCode, DateTimeOffset At);
