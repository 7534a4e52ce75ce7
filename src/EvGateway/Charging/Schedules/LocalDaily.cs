using System.Globalization;
using EvGateway.Vehicles.Capabilities;
using FluentValidation;

namespace EvGateway.Charging.Schedules;

/// <param name="Start">Local start, "HH:mm".</param>
/// <param name="End">Local end, "HH:mm" (at or before the start means the next day) for a daily window; absent for a
/// car that only takes a start time and charges until full or until charge control stops it.</param>
public sealed record LocalDaily(string? Start, string? End);
