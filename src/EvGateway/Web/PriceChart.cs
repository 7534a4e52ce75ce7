using System.Globalization;
using EvGateway.Charging;
using EvGateway.Charging.Smart;
using EvGateway.Charging.Tariff;

namespace EvGateway.Web;

/// <summary>
/// A car's price chart as server-rendered SVG geometry: one bar per tariff slot over the next hours, the slots of its
/// smart-charge plan marked, a price axis from zero (day-ahead prices can go below it) and hour labels in local time.
/// </summary>
public sealed record PriceChart(IReadOnlyList<PriceBar> Bars, IReadOnlyList<AxisLabel> PriceLabels, IReadOnlyList<AxisLabel> HourLabels,
    double ZeroY, string Unit, int PlannedCount)
{
    public const double Width = 480;
    public const double Height = 190;
    public const double Left = 44;
    public const double Right = 6;
    public const double Top = 22;
    public const double Bottom = 22;

    /// <summary>How far ahead the chart looks.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromHours(24);

    /// <summary>
    /// The chart of the slots that have not ended by <paramref name="now"/> and start within <see cref="Horizon"/>;
    /// a slot is planned when one of <paramref name="planned"/> overlaps it. Null when no slot is in view.
    /// </summary>
    public static PriceChart? Build(IReadOnlyList<PriceSlot> prices, IReadOnlyList<SmartChargeSlot> planned, DateTimeOffset now, TimeZoneInfo zone,
        string unit)
    {
        var shown = prices.Where(slot => slot.End > now && slot.Start < now + Horizon).OrderBy(slot => slot.Start).ToList();
        if (shown.Count == 0)
        {
            return null;
        }

        var low = Math.Min(0, shown.Min(slot => slot.PricePerKwh));
        var high = Math.Max(0, shown.Max(slot => slot.PricePerKwh));
        if (high - low < 1e-9)
        {
            high = low + 1;
        }

        var plotWidth = Width - Left - Right;
        var plotHeight = Height - Top - Bottom;
        double Y(double price) => Top + (high - price) / (high - low) * plotHeight;
        var from = shown[0].Start;
        var span = (shown[^1].End - from).TotalMinutes;
        double X(DateTimeOffset at) => Left + (at - from).TotalMinutes / span * plotWidth;

        var zero = Y(0);
        var bars = shown.Select(slot =>
        {
            var x = X(slot.Start);
            var width = Math.Max(1, X(slot.End) - x - 1);
            var y = Y(slot.PricePerKwh);
            var isPlanned = planned.Any(p => p.Start < slot.End && p.End > slot.Start);
            var local = LocalTime.InZone(slot.Start, zone);
            var title = $"{local:HH:mm}–{LocalTime.InZone(slot.End, zone):HH:mm}: {Price(slot.PricePerKwh)} {unit}{(isPlanned ? " · planned charging" : "")}";
            return new PriceBar(Round(x), Round(Math.Min(y, zero)), Round(width), Round(Math.Max(1, Math.Abs(zero - y))), slot.PricePerKwh, slot.Start,
                isPlanned, title);
        }).ToList();

        var priceLabels = new[] { low, (low + high) / 2, high }.Distinct()
            .Select(price => new AxisLabel(Round(Y(price)), Price(price))).ToList();
        // Labelled at slot starts, so a daylight-saving change shifts the labels with the clock, not against it.
        var hourLabels = shown.Select(slot => LocalTime.InZone(slot.Start, zone))
            .Where(local => local.Minute == 0 && local.Hour % 3 == 0)
            .Select(local => new AxisLabel(Round(X(local)), local.ToString("HH:mm", CultureInfo.InvariantCulture)))
            .ToList();

        return new PriceChart(bars, priceLabels, hourLabels, Round(zero), unit, bars.Count(bar => bar.Planned));
    }

    /// <summary>The caption under the chart, in words.</summary>
    public string Caption => PlannedCount == 0
        ? $"Price per half hour for the next 24 hours, in {Unit}."
        : $"Price per half hour for the next 24 hours, in {Unit}; in green the {PlannedCount} planned for charging.";

    /// <summary>A coordinate as SVG wants it, whatever the server's culture.</summary>
    public static string Svg(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Price(double price) => price.ToString("0.##", CultureInfo.InvariantCulture);

    private static double Round(double value) => Math.Round(value, 1);
}

/// <summary>One tariff slot's bar; <see cref="Title"/> says its times and price in words.</summary>
public sealed record PriceBar(double X, double Y, double Width, double Height, double Price, DateTimeOffset Start, bool Planned, string Title);

/// <summary>A label on an axis at a position along it.</summary>
public sealed record AxisLabel(double At, string Text);
