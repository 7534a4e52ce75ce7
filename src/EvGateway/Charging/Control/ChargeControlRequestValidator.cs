using System.Globalization;
using FluentValidation;

namespace EvGateway.Charging.Control;

public sealed class ChargeControlRequestValidator : AbstractValidator<ChargeControlRequest>
{
    public ChargeControlRequestValidator()
    {
        RuleFor(r => r.PercentageThreshold)
            .Must(p => p is null or > 0 and <= 100)
            .WithMessage("Must be greater than 0 and at most 100 (100 turns the threshold off).");
        RuleFor(r => r.StopAt)
            .Must(text => text is null || ChargeControlRequest.ParseStopAt(text) is not null)
            .WithMessage("Must be a local time of day as HH:mm (00:00 to 23:59), or null.");
    }
}
