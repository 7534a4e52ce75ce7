using System.Globalization;
using EvGateway.Charging;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging.Smart;

public sealed class SmartChargePlanQueryValidator : AbstractValidator<SmartChargePlanQuery>
{
    public SmartChargePlanQueryValidator(IOptions<ChargingOptions> options, TimeProvider time)
    {
        var zone = options.Value.ResolveTimeZone();
        RuleFor(q => q.TargetPercent).Must(t => SmartChargeInput.ParsePercent(t) is > 0 and <= 100).WithMessage(SmartChargeInput.PercentRule);
        RuleFor(q => q.ReadyBy).Must(r => SmartChargeInput.ParseReadyBy(r, zone) > time.GetUtcNow()).WithMessage(SmartChargeInput.ReadyByRule);
        RuleFor(q => q.MaxPrice).Must(p => p is null || SmartChargeInput.ParsePrice(p) is not null).WithMessage("Must be a number.");
        RuleFor(q => q.Strategy).Must(s => s is null || SmartChargeInput.ParseStrategy(s) is not null).WithMessage("Must be split or contiguous.");
    }
}
