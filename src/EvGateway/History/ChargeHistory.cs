using System.Text.Json.Serialization;
using EvGateway.Vehicles;
using Microsoft.Extensions.Options;

namespace EvGateway.History;

/// <summary>
/// A charging session as the REST surface, the CSV, the old bridge's routes and the page show it: priced, with its
/// average power (energy added / duration), whether it was at home (<c>"place": "home" | "away"</c>, null without a
/// position) and where it comes from (<c>"source": "gateway"</c> found in the samples, <c>"import"</c> brought from
/// another tool, <c>"car"</c> listed by the car's own cloud while the gateway was not watching).
/// </summary>
public sealed record ChargeDto(
    DateTimeOffset Start,
    DateTimeOffset? End,
    double? StartLevel,
    double? EndLevel,
    double? EnergyKwh,
    double? MaxPowerKw,
    double? AveragePowerKw,
    double? Cost,
    string Currency,
    bool PriceEdited,
    Place? Location,
    [property: JsonPropertyName("place")] string? HomeOrAway,
    string Source);

/// <summary>
/// Turns the sessions found in a car's samples into <see cref="ChargeDto"/>s: each priced from the day-ahead slots
/// stored while it ran (fixed rates where none is stored) unless the owner set its price, and placed home or away.
/// </summary>
public sealed class ChargeHistory(HistoryDatabase database, ChargePricing pricing, IOptions<HistoryOptions> options)
{
    /// <summary>An owner's price belongs to the session that starts this close to it: a late sample may move a start a little.</summary>
    private static readonly TimeSpan EditTolerance = TimeSpan.FromMinutes(1);

    /// <summary>The sessions in <paramref name="samples"/> that started in [from, to), oldest first.</summary>
    public IReadOnlyList<ChargeDto> Priced(string vin, double? capacityKwh, IEnumerable<HistorySample> samples, DateTimeOffset from,
        DateTimeOffset to)
    {
        using var connection = database.Open();
        var imported = ImportedCharges.Read(connection, vin, from, to);
        // An imported session was seen by a tool that watched the charge; what the samples suggest at the same time yields to it.
        var detected = Sessions.Charges(samples, capacityKwh)
            .Where(s => s.Start >= from && s.Start < to && !imported.Any(i => Overlap(s.Start, s.End, i.Start, i.End)))
            .ToList();
        // The car's own list only fills gaps: the reader stored none that overlapped, but samples or imports may arrive later.
        var fromCar = CarCharges.Read(connection, vin, from, to)
            .Where(c => !detected.Any(d => Overlap(c.Start, c.End, d.Start, d.End)) && !imported.Any(i => Overlap(c.Start, c.End, i.Start, i.End)));
        var sessions = detected.Select(s => (Session: s, Source: "gateway", Cost: (double?)null))
            .Concat(imported.Select(i => (Session: new ChargeSession(i.Start, i.End, i.StartLevel, i.EndLevel, i.EnergyKwh, null, null),
                Source: "import", i.Cost)))
            .Concat(fromCar.Select(c => (Session: new ChargeSession(c.Start, c.End, c.StartLevel, c.EndLevel, c.EnergyKwh, c.PowerKw, null),
                Source: "car", Cost: (double?)null)))
            .OrderBy(s => s.Session.Start)
            .ToList();
        if (sessions.Count == 0)
        {
            return [];
        }

        var slots = HistoryPrices.ReadSlots(connection, sessions[0].Session.Start,
            sessions.Max(s => s.Session.End ?? s.Session.Start).AddMinutes(1));
        var edits = HistoryPrices.ReadEdits(connection, vin, from - EditTolerance, to + EditTolerance);
        var settings = options.Value;
        var home = settings.HomePlace() ?? MostChargedPlace(sessions.Select(s => s.Session), settings.HomeRadiusMetres);
        return sessions.Select(item =>
        {
            var (session, source, importedCost) = item;
            var edit = edits.Where(e => (e.Start - session.Start).Duration() <= EditTolerance)
                .MinBy(e => (e.Start - session.Start).Duration());
            var price = edit ?? (importedCost is { } cost ? new EditedPrice(session.Start, null, cost) : null);
            return new ChargeDto(session.Start, session.End, session.StartLevel, session.EndLevel, session.EnergyKwh, session.MaxPowerKw,
                AveragePower(session), pricing.Cost(session, slots, price), pricing.Currency, edit is not null, session.Location,
                session.Location is null || home is null ? null
                : Distance(session.Location, home) <= settings.HomeRadiusMetres ? "home" : "away",
                source);
        }).ToList();
    }

    /// <summary>The session of <paramref name="vin"/> that started at <paramref name="start"/> (within a minute), or null.</summary>
    public ChargeDto? Find(string vin, double? capacityKwh, IEnumerable<HistorySample> samples, DateTimeOffset start) =>
        Priced(vin, capacityKwh, samples, start - EditTolerance, start + EditTolerance)
            .Where(c => (c.Start - start).Duration() <= EditTolerance)
            .MinBy(c => (c.Start - start).Duration());

    /// <summary>
    /// Keeps the owner's price (<paramref name="pricePerKwh"/> or <paramref name="cost"/>) of the session of
    /// <paramref name="vin"/> that started at <paramref name="start"/>; the session as it is now priced, or null when
    /// there is no such session.
    /// </summary>
    public ChargeDto? SetPrice(string vin, double? capacityKwh, IReadOnlyCollection<HistorySample> samples, DateTimeOffset start,
        double? pricePerKwh, double? cost)
    {
        if (Find(vin, capacityKwh, samples, start) is not { } session)
        {
            return null;
        }

        using (var connection = database.Open())
        {
            HistoryPrices.SaveEdit(connection, vin, new EditedPrice(session.Start, pricePerKwh, cost));
        }

        return Find(vin, capacityKwh, samples, session.Start);
    }

    /// <summary>Distance in metres; flat-earth is exact enough over the few hundred metres a home radius spans.</summary>
    public static double Distance(Place a, Place b)
    {
        const double EarthRadius = 6_371_000;
        var meanLatitude = (a.Latitude + b.Latitude) / 2 * Math.PI / 180;
        var x = (b.Longitude - a.Longitude) * Math.PI / 180 * Math.Cos(meanLatitude);
        var y = (b.Latitude - a.Latitude) * Math.PI / 180;
        return Math.Sqrt(x * x + y * y) * EarthRadius;
    }

    /// <summary>True when two sessions share an instant; one still going on (no end) is taken as its start alone.</summary>
    internal static bool Overlap(DateTimeOffset aStart, DateTimeOffset? aEnd, DateTimeOffset bStart, DateTimeOffset? bEnd) =>
        aStart <= (bEnd ?? bStart) && bStart <= (aEnd ?? aStart);

    private static double? AveragePower(ChargeSession session) =>
        session is { End: { } end, EnergyKwh: { } energy } && end > session.Start ? Math.Round(energy / (end - session.Start).TotalHours, 2) : null;

    // Sessions are gathered around the first session of each place; home is the place that took the most energy.
    private static Place? MostChargedPlace(IEnumerable<ChargeSession> sessions, double radiusMetres)
    {
        var places = new List<(Place Centre, double Energy)>();
        foreach (var session in sessions.Where(s => s.Location is not null))
        {
            var index = places.FindIndex(p => Distance(p.Centre, session.Location!) <= radiusMetres);
            if (index < 0)
            {
                places.Add((session.Location!, session.EnergyKwh ?? 0));
            }
            else
            {
                places[index] = (places[index].Centre, places[index].Energy + (session.EnergyKwh ?? 0));
            }
        }

        return places.Count == 0 ? null : places.MaxBy(p => p.Energy).Centre;
    }
}
