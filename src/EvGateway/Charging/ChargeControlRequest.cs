using System.Globalization;
using FluentValidation;

namespace EvGateway.Charging;

/// <summary>The body of PUT charge-control: the whole setting (a missing threshold means none, 100).</summary>
/// <param name="PercentageThreshold">Stop charging at this level, 1..100 (100 = no threshold).</param>
/// <param name="StopAt">Stop charging every day at this local time, "HH:mm"; null for no stop time.</param>
public sealed record ChargeControlRequest(int? PercentageThreshold, string? StopAt)
{
    public ChargeControlSetting ToSetting() => new(PercentageThreshold ?? 100, ParseStopAt(StopAt));

    public static TimeOnly? ParseStopAt(string? text) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : null;
}

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
