using System.Globalization;
using EvGateway.Vehicles.Capabilities;
using FluentValidation;

namespace EvGateway.Charging.Schedules;

/// <summary>
/// What GET and PUT charge-schedule answer. <see cref="Form"/> says what the car can express: "weekly" (schedules),
/// "daily_window" (daily start and end) or "daily_start" (a daily start time only).
/// </summary>
public sealed record ChargeScheduleView(string Vin, string Mode, string TimeZone, IReadOnlyList<LocalSchedule> Schedules,
    string Form = ChargeScheduleForms.Weekly, LocalDaily? Daily = null);
