using System.Globalization;
using System.Text;
using EvGateway.History;
using EvGateway.Vehicles;

namespace EvGateway.Web;

/// <summary>
/// /history/{vin}: a car's history over a chosen range, drawn on the server as SVG: the state of charge over time,
/// the charging sessions with their cost and a form to set a session's price, one session's charge curve, the trips
/// with their consumption, and the energy and cost of each month.
/// </summary>
public sealed class HistoryModel(VehicleDirectory directory, HistoryDatabase database, ChargeHistory history, TimeProvider time)
{
    private static readonly TimeSpan Margin = TimeSpan.FromDays(2);

    /// <summary>The car's history from <paramref name="from"/> to <paramref name="to"/> (default: the last 30 days), with the
    /// curve of the session starting at <paramref name="session"/> (default: the latest).</summary>
    public async Task<HistoryView> ViewAsync(string vin, string? from, string? to, string? session, CancellationToken cancellationToken)
    {
        var (view, _) = await LoadAsync(vin, from, to, cancellationToken);
        var curve = view.Charges.FirstOrDefault(c => session is not null && Parse(session) is { } at && (c.Start - at).Duration() < TimeSpan.FromSeconds(1))
                    ?? view.Charges.LastOrDefault();
        return view with { Curve = curve };
    }

    /// <summary>Sets the price per kWh of the session starting at <paramref name="start"/> (0 to 100; other words change nothing)
    /// and gives the range the page goes back to.</summary>
    public async Task<HistoryView> SetPriceAsync(string vin, string? from, string? to, string start, string pricePerKwh,
        CancellationToken cancellationToken)
    {
        var (view, car) = await LoadAsync(vin, from, to, cancellationToken);
        if (Parse(start) is { } at
            && double.TryParse(pricePerKwh, NumberStyles.Float, CultureInfo.InvariantCulture, out var price) && price is >= 0 and <= 100)
        {
            history.SetPrice(view.Vin, car.BatteryCapacityKwh, view.Samples, at, price, null);
        }

        return view;
    }

    public static string Iso(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Number(double? value, string format = "0.##") => value?.ToString(format, CultureInfo.InvariantCulture) ?? "–";

    /// <summary>SVG polyline points of (time, value) pairs in a box of the given size over [from, to] and [0, max].</summary>
    public static string Points(IEnumerable<(DateTimeOffset At, double Value)> points, DateTimeOffset from, DateTimeOffset to, double max,
        double width, double height)
    {
        var text = new StringBuilder();
        var span = Math.Max(1, (to - from).TotalSeconds);
        foreach (var (at, value) in points)
        {
            var x = (at - from).TotalSeconds / span * width;
            var y = height - Math.Clamp(value / max, 0, 1) * height;
            text.Append(CultureInfo.InvariantCulture, $"{x:0.#},{y:0.#} ");
        }

        return text.ToString().TrimEnd();
    }

    private async Task<(HistoryView View, Vehicle Car)> LoadAsync(string vin, string? from, string? to, CancellationToken cancellationToken)
    {
        var car = (await directory.FindAsync(vin, cancellationToken)).Vehicle;
        var upper = Parse(to) ?? time.GetUtcNow();
        var lower = Parse(from) is { } start && start < upper ? start : upper.AddDays(-30);
        var id = car.Vin.ToUpperInvariant();
        IReadOnlyList<HistorySample> samples;
        using (var connection = database.Open())
        {
            samples = HistorySamples.Read(connection, id, lower - Margin, upper + Margin);
        }

        var charges = history.Priced(id, car.BatteryCapacityKwh, samples, lower, upper);
        var view = new HistoryView(id, $"{car.Brand} {car.Model}", lower, upper, samples, charges,
            [.. Sessions.Trips(samples, car.BatteryCapacityKwh).Where(t => t.Start >= lower && t.Start < upper)],
            [.. charges.GroupBy(c => c.Start.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture))
                .OrderBy(g => g.Key)
                .Select(g => (g.Key, g.Sum(c => c.EnergyKwh ?? 0), g.Sum(c => c.Cost ?? 0)))]);
        return (view, car);
    }

    private static DateTimeOffset? Parse(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : null;
}

/// <summary>
/// What /history/{vin} shows: the range, the samples around it, the priced sessions, the trips, the energy and cost of
/// each month (UTC, oldest first), and the session whose curve is drawn (null without sessions).
/// </summary>
public sealed record HistoryView(string Vin, string CarName, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<HistorySample> Samples,
    IReadOnlyList<ChargeDto> Charges, IReadOnlyList<Trip> Trips, IReadOnlyList<(string Month, double EnergyKwh, double Cost)> Months)
{
    public ChargeDto? Curve { get; init; }
}
