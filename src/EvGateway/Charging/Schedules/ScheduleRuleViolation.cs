using EvGateway.Vehicles.Capabilities;

namespace EvGateway.Charging.Schedules;

/// <summary>A broken schedule rule: a stable name and a sentence for the caller.</summary>
/// <param name="Rule">A stable rule name.</param>
/// <param name="Message">The sentence for the caller.</param>
/// <param name="Field">The request field the rule is about: schedules, or daily.</param>
public sealed record ScheduleRuleViolation(string Rule, string Message, string Field = "schedules");
