using System.Globalization;
using EvGateway.Vehicles.Capabilities;
using FluentValidation;

namespace EvGateway.Charging.Schedules;

/// <param name="Id">The car's schedule number (1..5).</param>
/// <param name="Active">True for the one schedule the car follows.</param>
/// <param name="Days">Weekday name (monday..sunday) → period.</param>
public sealed record LocalSchedule(int Id, bool Active, IReadOnlyDictionary<string, LocalPeriod>? Days);
