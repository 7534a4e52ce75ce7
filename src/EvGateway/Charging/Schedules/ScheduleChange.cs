using System.Globalization;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging.Schedules;

/// <summary>Either the schedules as saved or the car rule they break.</summary>
public sealed record ScheduleChange(ChargeScheduleView? Saved, ScheduleRuleViolation? Violation);
