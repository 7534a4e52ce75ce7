using System.Globalization;
using System.Text;
using EvGateway.History;
using EvGateway.Vehicles;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EvGateway.Web;

/// <summary>
/// /history/{vin}: a car's history over a chosen range, drawn on the server as SVG: the state of charge over time,
/// the charging sessions with their cost and a form to set a session's price, one session's charge curve, the trips
/// with their consumption, and the energy and cost of each month.
/// </summary>
public sealed class HistoryModel(VehicleDirectory directory, HistoryDatabase database, ChargeHistory history, TimeProvider time) : PageModel
{
    private static readonly TimeSpan Margin = TimeSpan.FromDays(2);

    public string Vin { get; private set; } = "";
    public string CarName { get; private set; } = "";
    public DateTimeOffset From { get; private set; }
    public DateTimeOffset To { get; private set; }
    public IReadOnlyList<HistorySample> Samples { get; private set; } = [];
    public IReadOnlyList<ChargeDto> Charges { get; private set; } = [];
    public IReadOnlyList<Trip> Trips { get; private set; } = [];

    /// <summary>The session whose curve is drawn (the one asked for, else the latest), or null without sessions.</summary>
    public ChargeDto? Curve { get; private set; }

    /// <summary>Energy added and its cost per month (UTC), oldest first.</summary>
    public IReadOnlyList<(string Month, double EnergyKwh, double Cost)> Months { get; private set; } = [];

    public async Task OnGetAsync(string vin, string? from, string? to, string? session, CancellationToken cancellationToken)
    {
        await LoadAsync(vin, from, to, cancellationToken);
        Curve = Charges.FirstOrDefault(c => session is not null && Parse(session) is { } at && (c.Start - at).Duration() < TimeSpan.FromSeconds(1))
                ?? Charges.LastOrDefault();
    }

    public async Task<IActionResult> OnPostPriceAsync(string vin, string? from, string? to, string start, double? pricePerKwh,
        CancellationToken cancellationToken)
    {
        await LoadAsync(vin, from, to, cancellationToken);
        if (Parse(start) is { } at && pricePerKwh is >= 0 and <= 100)
        {
            var car = (await directory.FindAsync(vin, cancellationToken)).Vehicle;
            history.SetPrice(Vin, car.BatteryCapacityKwh, Samples, at, pricePerKwh, null);
        }

        return RedirectToPage(new { vin = Vin, from = Iso(From), to = Iso(To), session = start });
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

    private async Task LoadAsync(string vin, string? from, string? to, CancellationToken cancellationToken)
    {
        var car = (await directory.FindAsync(vin, cancellationToken)).Vehicle;
        Vin = car.Vin.ToUpperInvariant();
        CarName = $"{car.Brand} {car.Model}";
        To = Parse(to) ?? time.GetUtcNow();
        From = Parse(from) is { } start && start < To ? start : To.AddDays(-30);
        using (var connection = database.Open())
        {
            Samples = HistorySamples.Read(connection, Vin, From - Margin, To + Margin);
        }

        Charges = history.Priced(Vin, car.BatteryCapacityKwh, Samples, From, To);
        Trips = [.. Sessions.Trips(Samples, car.BatteryCapacityKwh).Where(t => t.Start >= From && t.Start < To)];
        Months = [.. Charges.GroupBy(c => c.Start.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture))
            .OrderBy(g => g.Key)
            .Select(g => (g.Key, g.Sum(c => c.EnergyKwh ?? 0), g.Sum(c => c.Cost ?? 0)))];
    }

    private static DateTimeOffset? Parse(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : null;
}
