using EvGateway.Vehicles;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging.Control;

/// <summary>The REST shape of a car's charge control (design.md's contract; names are fixed).</summary>
/// <param name="Vin">The car.</param>
/// <param name="PercentageThreshold">1..100; 100 = no threshold.</param>
/// <param name="StopAt">"HH:mm" in the gateway's local zone, or null.</param>
/// <param name="NextStopAt">The next instant the stop time applies, with the zone's offset.</param>
/// <param name="LastError">Why the last stop failed, or null.</param>
public sealed record ChargeControlView(string Vin, int PercentageThreshold, string? StopAt, DateTimeOffset? NextStopAt, string? LastError);
