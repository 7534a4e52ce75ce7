using System.Globalization;
using FluentValidation;

namespace EvGateway.Charging.Control;

/// <summary>The body of PUT charge-control: the whole setting (a missing threshold means none, 100).</summary>
/// <param name="PercentageThreshold">Stop charging at this level, 1..100 (100 = no threshold).</param>
/// <param name="StopAt">Stop charging every day at this local time, "HH:mm"; null for no stop time.</param>
public sealed record ChargeControlRequest(int? PercentageThreshold, string? StopAt)
{
    public ChargeControlSetting ToSetting() => new(PercentageThreshold ?? 100, ParseStopAt(StopAt));

    public static TimeOnly? ParseStopAt(string? text) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : null;
}
