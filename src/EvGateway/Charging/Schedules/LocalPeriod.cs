using System.Globalization;
using EvGateway.Vehicles.Capabilities;
using FluentValidation;

namespace EvGateway.Charging.Schedules;

/// <param name="Start">Local start, "HH:mm".</param>
/// <param name="End">Local end, "HH:mm"; at or before the start means the next day.</param>
public sealed record LocalPeriod(string? Start, string? End);
