using System.Globalization;
using EvGateway.Vehicles.Capabilities;
using FluentValidation;

namespace EvGateway.Charging.Schedules;

public sealed class ChargeScheduleRequestValidator : AbstractValidator<ChargeScheduleRequest>
{
    public ChargeScheduleRequestValidator()
    {
        RuleFor(r => r.Mode).Must(m => m is ChargeModeNames.Always or ChargeModeNames.Scheduled).WithMessage("Must be always or scheduled.");
        RuleFor(r => r.Daily).Null().When(r => r.Schedules is { Count: > 0 }).WithMessage("Send schedules or daily, not both.");
        RuleFor(r => r.Daily!.Start).Must(t => ScheduleDays.ParseTime(t) is not null).When(r => r.Daily is not null)
            .OverridePropertyName("daily.start").WithMessage("Must be a local time HH:mm.");
        RuleFor(r => r.Daily!.End).Must(t => ScheduleDays.ParseTime(t) is not null).When(r => r.Daily?.End is not null)
            .OverridePropertyName("daily.end").WithMessage("Must be a local time HH:mm, or left out.");
        RuleForEach(r => r.Schedules).ChildRules(schedule =>
        {
            schedule.RuleFor(s => s.Id).InclusiveBetween(1, 5).WithMessage("Must be 1 to 5.");
            schedule.RuleFor(s => s.Days).NotNull().WithMessage("Must map weekday names to periods.");
            schedule.RuleForEach(s => s.Days).ChildRules(day =>
            {
                day.RuleFor(d => d.Key).Must(ScheduleDays.IsDay).WithMessage("Must be a weekday name, monday to sunday.");
                day.RuleFor(d => d.Value.Start).Must(t => ScheduleDays.ParseTime(t) is not null).WithMessage("Must be a local time HH:mm.");
                day.RuleFor(d => d.Value.End).Must(t => ScheduleDays.ParseTime(t) is not null).WithMessage("Must be a local time HH:mm.");
            });
        });
    }
}
