using System.Globalization;
using EvGateway.Charging;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging.Smart;

public sealed class SmartChargeRequestValidator : AbstractValidator<SmartChargeRequest>
{
    public SmartChargeRequestValidator(IOptions<ChargingOptions> options, TimeProvider time)
    {
        var zone = options.Value.ResolveTimeZone();
        RuleFor(r => r.TargetPercent).Must(t => t is > 0 and <= 100).WithMessage(SmartChargeInput.PercentRule);
        RuleFor(r => r.ReadyBy).Must(r => SmartChargeInput.ParseReadyBy(r, zone) > time.GetUtcNow()).WithMessage(SmartChargeInput.ReadyByRule);
        RuleFor(r => r.MaxPrice).Must(p => p is null || double.IsFinite(p.Value)).WithMessage("Must be a number.");
    }
}
