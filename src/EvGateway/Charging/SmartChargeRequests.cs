using System.Globalization;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging;

/// <summary>The query of GET smart-charge/plan; text fields so that bad input gets a 400 naming the field.</summary>
/// <param name="TargetPercent">Battery level to reach, 1..100.</param>
/// <param name="ReadyBy">ISO-8601 instant; without an offset it is read in the gateway's local zone.</param>
/// <param name="MaxPrice">Never charge in a period dearer than this (the feed's unit), optional.</param>
/// <param name="Strategy">split or contiguous; default contiguous, what every car can express.</param>
public sealed record SmartChargePlanQuery(string? TargetPercent, string? ReadyBy, string? MaxPrice, string? Strategy);

/// <summary>The body of POST smart-charge.</summary>
/// <param name="TargetPercent">Battery level to reach, 1..100.</param>
/// <param name="ReadyBy">ISO-8601 instant; without an offset it is read in the gateway's local zone.</param>
/// <param name="MaxPrice">Never charge in a period dearer than this (the feed's unit), optional.</param>
public sealed record SmartChargeRequest(int? TargetPercent, string? ReadyBy, double? MaxPrice);

public static class SmartChargeInput
{
    public static DateTimeOffset? ParseReadyBy(string? text, TimeZoneInfo zone)
    {
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            return null;
        }

        return parsed.Kind switch
        {
            DateTimeKind.Unspecified => LocalTime.ToInstant(parsed, zone),
            _ => DateTimeOffset.Parse(text!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
        };
    }

    public static int? ParsePercent(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static double? ParsePrice(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    public static ChargeStrategy? ParseStrategy(string? text) => text?.ToLowerInvariant() switch
    {
        "split" => ChargeStrategy.Split,
        "contiguous" => ChargeStrategy.Contiguous,
        _ => null,
    };

    internal const string PercentRule = "Must be a whole number from 1 to 100.";
    internal const string ReadyByRule = "Must be an ISO-8601 date and time in the future, e.g. 2026-11-26T07:00:00+01:00.";
}

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
