using System.Globalization;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging.Smart;

/// <summary>The body of POST smart-charge.</summary>
/// <param name="TargetPercent">Battery level to reach, 1..100.</param>
/// <param name="ReadyBy">ISO-8601 instant; without an offset it is read in the gateway's local zone.</param>
/// <param name="MaxPrice">Never charge in a period dearer than this (the feed's unit), optional.</param>
public sealed record SmartChargeRequest(int? TargetPercent, string? ReadyBy, double? MaxPrice);
