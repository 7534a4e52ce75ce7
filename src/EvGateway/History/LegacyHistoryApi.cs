using System.Globalization;
using System.Text;
using EvGateway.Vehicles;

namespace EvGateway.History;

/// <summary>
/// The old bridge's history routes in its shapes (protocols/legacy-http-api.md): Flask's jsonify for trips and
/// charging sessions (sorted keys, compact, HTTP dates in GMT, a trailing newline) and the geojson library's text for
/// positions. Written by hand because those shapes are Python's, not System.Text.Json's.
/// </summary>
public static class LegacyHistoryApi
{
    /// <summary>psacc deletes sessions that gained less than two points; its scripts never saw them.</summary>
    private const double LegacyMinimumGain = 2;

    /// <summary>The end of "all history": far enough, and room left to widen a range by a margin.</summary>
    private static readonly DateTimeOffset Forever = DateTimeOffset.MaxValue.AddYears(-1);

    public static IEndpointRouteBuilder MapLegacyHistory(this IEndpointRouteBuilder app)
    {
        var legacy = app.MapGroup("").WithTags("Legacy (psa_car_controller)");
        legacy.MapGet("/vehicles/trips", GetLegacyTrips).WithName(nameof(GetLegacyTrips))
            .WithSummary("Trips of the first car, in the old bridge's shape");
        legacy.MapGet("/vehicles/chargings", GetLegacyChargings).WithName(nameof(GetLegacyChargings))
            .WithSummary("Charging sessions of every car, in the old bridge's shape");
        legacy.MapGet("/battery/soh/{vin}", GetLegacySoh).WithName(nameof(GetLegacySoh))
            .WithSummary("The latest state of health of a car, in the old bridge's shape: {\"soh\": 96.0} or {\"soh\": null}");
        legacy.MapGet("/positions", GetLegacyPositions).WithName(nameof(GetLegacyPositions))
            .WithSummary("Every recorded position of every car as a GeoJSON FeatureCollection, in the old bridge's shape");
        return app;
    }

    public static async Task<IResult> GetLegacyTrips(VehicleDirectory directory, HistoryDatabase database,
        CancellationToken cancellationToken)
    {
        var car = (await directory.GetVehiclesAsync(cancellationToken)).FirstOrDefault();
        if (car is null)
        {
            return Json("{}\n");
        }

        var samples = ReadAll(database, car.Vin);
        var items = new List<string>();
        foreach (var trip in Sessions.Trips(samples, car.BatteryCapacityKwh))
        {
            var hours = (trip.End - trip.Start).TotalHours;
            if (hours <= 0 || trip.DistanceKm / hours >= 150)
            {
                continue;
            }

            var later = samples.Where(s => s.At > trip.Start && s.At <= trip.End && s.HasPosition).ToList();
            var end = samples.Last(s => s.At == trip.End);
            items.Add(Object(
                ("altitude_diff", "null"),
                ("consumption", Number(trip.EnergyKwh ?? 0)),
                ("consumption_by_temp", "null"),
                ("consumption_km", Number(trip.ConsumptionKwhPer100Km ?? 0)),
                ("distance", Number(trip.DistanceKm)),
                ("duration", Number((trip.End - trip.Start).TotalMinutes)),
                ("id", (items.Count + 1).ToString(CultureInfo.InvariantCulture)),
                ("mileage", Number(end.OdometerKm!.Value)),
                ("positions", Object(
                    ("lat", "[" + string.Join(',', later.Select(s => Number(s.Latitude!.Value))) + "]"),
                    ("long", "[" + string.Join(',', later.Select(s => Number(s.Longitude!.Value))) + "]"))),
                ("speed_average", Number(trip.DistanceKm / hours)),
                ("start_at", Text(HttpDate(trip.Start)))));
        }

        return Json("[" + string.Join(',', items) + "]\n");
    }

    public static async Task<IResult> GetLegacyChargings(VehicleDirectory directory, HistoryDatabase database,
        ChargeHistory history, CancellationToken cancellationToken)
    {
        var sessions = new List<(Vehicle Car, ChargeDto Session, double? Mileage)>();
        foreach (var car in await directory.GetVehiclesAsync(cancellationToken))
        {
            var samples = ReadAll(database, car.Vin);
            foreach (var session in history.Priced(car.Vin, car.BatteryCapacityKwh, samples, DateTimeOffset.UnixEpoch, Forever))
            {
                if (session.End is null || session.EndLevel - session.StartLevel >= LegacyMinimumGain)
                {
                    var mileage = samples.LastOrDefault(s => s.At <= session.Start && s.OdometerKm is not null)?.OdometerKm;
                    sessions.Add((car, session, mileage));
                }
            }
        }

        var items = sessions.OrderBy(s => s.Session.Start).Select(item =>
        {
            var (car, session, mileage) = item;
            var fields = new List<(string, string)>
            {
                ("VIN", Text(car.Vin)),
                ("charging_mode", "null"),
                ("co2", "null"),
                ("end_level", Level(session.EndLevel)),
                ("kw", session.EnergyKwh is { } energy ? Whole(energy) : "null"),
                ("mileage", mileage is { } km ? Number(km) : "null"),
                ("price", session.Cost is { } cost ? Whole(cost) : "null"),
                ("start_at", Text(HttpDate(session.Start))),
                ("start_level", Level(session.StartLevel)),
                ("stop_at", session.End is { } stop ? Text(HttpDate(stop)) : "null"),
            };
            if (session.End is { } end)
            {
                fields.Add(("duration_min", Number((end - session.Start).TotalMinutes)));
                fields.Add(("duration_str", Text(PythonTimeSpan(end - session.Start))));
            }

            return Object([.. fields.OrderBy(f => f.Item1, StringComparer.Ordinal)]);
        });
        return Json("[" + string.Join(',', items) + "]\n");
    }

    public static async Task<IResult> GetLegacyPositions(VehicleDirectory directory, HistoryDatabase database,
        CancellationToken cancellationToken)
    {
        var samples = new List<HistorySample>();
        foreach (var car in await directory.GetVehiclesAsync(cancellationToken))
        {
            samples.AddRange(ReadAll(database, car.Vin).Where(s => s.HasPosition));
        }

        var features = samples.OrderBy(s => s.At).Select(s =>
            "{\"geometry\": {\"coordinates\": [" + Number(Math.Round(s.Longitude!.Value, 6)) + ", " + Number(Math.Round(s.Latitude!.Value, 6))
            + "], \"type\": \"Point\"}, \"properties\": {\"date\": " + Text(s.At.UtcDateTime.ToString("MM/dd/yy HH:mm:ss", CultureInfo.InvariantCulture))
            + ", \"level\": " + Level(s.BatteryLevel) + ", \"level_fuel\": null, \"mileage\": " + (s.OdometerKm is { } km ? Number(km) : "null")
            + ", \"vin\": " + Text(s.Vin) + "}, \"type\": \"Feature\"}");
        return Json("{\"features\": [" + string.Join(", ", features) + "], \"type\": \"FeatureCollection\"}");
    }

    public static IResult GetLegacySoh(string vin, HistoryDatabase database)
    {
        using var connection = database.Open();
        var latest = Vin.IsValid(vin) ? BatteryHealth.Read(connection, vin).LastOrDefault() : null;
        return Json("{\"soh\":" + (latest is null ? "null" : Number(latest.SohPercent)) + "}\n");
    }

    private static List<HistorySample> ReadAll(HistoryDatabase database, string vin)
    {
        using var connection = database.Open();
        return HistorySamples.Read(connection, vin, DateTimeOffset.UnixEpoch, Forever);
    }

    private static IResult Json(string body) => Results.Text(body, "application/json", Encoding.UTF8);

    private static string Object(params (string Key, string Value)[] fields) =>
        "{" + string.Join(',', fields.Select(f => Text(f.Key) + ":" + f.Value)) + "}";

    // Python writes a float with its shortest round-trip digits and always a decimal point: 42.0, not 42.
    private static string Number(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    // The old bridge's INTEGER columns give back whole reals as integers (9, not 9.0), others rounded to the cent.
    private static string Whole(double value)
    {
        var rounded = Math.Round(value, 2);
        return rounded == Math.Floor(rounded) ? ((long)rounded).ToString(CultureInfo.InvariantCulture) : Number(rounded);
    }

    private static string Level(double? level) =>
        level is { } value ? ((long)Math.Round(value)).ToString(CultureInfo.InvariantCulture) : "null";

    private static string Text(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when c < 0x20 || c > 0x7e => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }

    private static string HttpDate(DateTimeOffset at) => at.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture);

    // Python's str(timedelta): "3:30:00", "1 day, 2:05:00", microseconds only when there are some.
    private static string PythonTimeSpan(TimeSpan span)
    {
        var days = span.Days;
        var clock = $"{span.Hours}:{span.Minutes:00}:{span.Seconds:00}";
        var micros = span.Ticks % TimeSpan.TicksPerSecond / 10;
        if (micros != 0)
        {
            clock += "." + micros.ToString("000000", CultureInfo.InvariantCulture);
        }

        return days == 0 ? clock : $"{days} day{(days == 1 ? "" : "s")}, {clock}";
    }
}
