using System.Globalization;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging.Smart;

/// <summary>The query of GET smart-charge/plan; text fields so that bad input gets a 400 naming the field.</summary>
/// <param name="TargetPercent">Battery level to reach, 1..100.</param>
/// <param name="ReadyBy">ISO-8601 instant; without an offset it is read in the gateway's local zone.</param>
/// <param name="MaxPrice">Never charge in a period dearer than this (the feed's unit), optional.</param>
/// <param name="Strategy">split or contiguous; default contiguous, what every car can express.</param>
public sealed record SmartChargePlanQuery(string? TargetPercent, string? ReadyBy, string? MaxPrice, string? Strategy);
