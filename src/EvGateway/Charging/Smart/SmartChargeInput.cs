using System.Globalization;
using EvGateway.Charging;
using FluentValidation;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging.Smart;

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
