using System.Globalization;
using System.Text;
using EvGateway.Vehicles;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace EvGateway.History;

/// <summary>The owner's price of one charging session: a price per kWh drawn from the grid, or the whole cost; one of the two.</summary>
public sealed record ChargePriceRequest(double? PricePerKwh, double? Cost);

/// <summary>One recorded position of a car.</summary>
public sealed record PositionDto(DateTimeOffset At, double Latitude, double Longitude, double? OdometerKm, double? BatteryLevel);

/// <summary>The history REST surface: trips, charging sessions and positions of a car over a time range, JSON or CSV.</summary>
public static class HistoryApi
{
    /// <summary>The problem code of a price set for a session the history does not hold.</summary>
    public const string ChargeNotFound = "charge_not_found";

    private static readonly TimeSpan DefaultRange = TimeSpan.FromDays(30);
    private static readonly TimeSpan LongestRange = TimeSpan.FromDays(366);

    // Sessions are cut out of the samples around the range, so one that starts inside it is seen whole.
    private static readonly TimeSpan Margin = TimeSpan.FromDays(2);

    public static IEndpointRouteBuilder MapHistory(this IEndpointRouteBuilder app)
    {
        var car = app.MapGroup("/api/vehicles/{vin}").WithTags("History").WithGatewayProblems();
        car.MapGet("/trips", GetTrips).WithName(nameof(GetTrips))
            .WithSummary("Trips the car made that started between from and to (default: the last 30 days); ?format=csv for CSV");
        car.MapGet("/charges", GetCharges).WithName(nameof(GetCharges))
            .WithSummary("Charging sessions that started between from and to, with energy added and cost; ?format=csv for CSV");
        car.MapGet("/battery-health", GetBatteryHealth).WithName(nameof(GetBatteryHealth))
            .WithSummary("Every state of health the car reported that differed from the one before, oldest first");
        car.MapPut("/charges/{start}/price", SetChargePrice).WithName(nameof(SetChargePrice))
            .WithSummary("Sets the price of the session that started at start (as listed): { \"pricePerKwh\": 0.21 } or { \"cost\": 3.10 }");
        car.MapGet("/positions", GetPositions).WithName(nameof(GetPositions))
            .WithSummary("Every recorded position between from and to; ?format=csv for CSV");
        app.MapLegacyHistory();
        return app;
    }

    public static async Task<Results<Ok<Trip[]>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> GetTrips(string vin,
        [FromQuery] string? from, [FromQuery] string? to, [FromQuery] string? format, VehicleDirectory directory, HistoryDatabase database,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var (problem, query) = await LoadAsync(vin, from, to, format, Margin, directory, database, time, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var trips = Sessions.Trips(query!.Samples, query.Car.BatteryCapacityKwh).Where(query.StartsInRange).ToArray();
        return query.Csv
            ? Csv(vin, "trips", ["start", "end", "distanceKm", "energyKwh", "consumptionKwhPer100Km", "startLevel", "endLevel",
                    "startLatitude", "startLongitude", "endLatitude", "endLongitude"],
                trips.Select(t => new object?[] { t.Start, t.End, t.DistanceKm, t.EnergyKwh, t.ConsumptionKwhPer100Km, t.StartLevel,
                    t.EndLevel, t.StartLocation?.Latitude, t.StartLocation?.Longitude, t.EndLocation?.Latitude, t.EndLocation?.Longitude }))
            : TypedResults.Ok(trips);
    }

    public static async Task<Results<Ok<ChargeDto[]>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> GetCharges(string vin,
        [FromQuery] string? from, [FromQuery] string? to, [FromQuery] string? format, VehicleDirectory directory, HistoryDatabase database,
        ChargeHistory history, TimeProvider time, CancellationToken cancellationToken)
    {
        var (problem, query) = await LoadAsync(vin, from, to, format, Margin, directory, database, time, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var charges = history.Priced(vin, query!.Car.BatteryCapacityKwh, query.Samples, query.From, query.To).ToArray();
        return query.Csv
            ? Csv(vin, "charges", ["start", "end", "startLevel", "endLevel", "energyKwh", "maxPowerKw", "cost", "currency", "latitude", "longitude",
                    "averagePowerKw", "place", "priceEdited", "source"],
                charges.Select(c => new object?[] { c.Start, c.End, c.StartLevel, c.EndLevel, c.EnergyKwh, c.MaxPowerKw, c.Cost, c.Currency,
                    c.Location?.Latitude, c.Location?.Longitude, c.AveragePowerKw, c.HomeOrAway, c.PriceEdited, c.Source }))
            : TypedResults.Ok(charges);
    }

    public static async Task<Results<Ok<ChargeDto>, ValidationProblem, ProblemHttpResult>> SetChargePrice(string vin, string start,
        ChargePriceRequest? request, VehicleDirectory directory, HistoryDatabase database, ChargeHistory history, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!TryParseInstant(start, out var at) || at is null)
        {
            return Fail("start", "start is the session's start as listed, an ISO-8601 date and time, e.g. 2026-11-28T22:30:00Z.").Problem!;
        }

        if (PriceProblem(request) is { } priceProblem)
        {
            return priceProblem;
        }

        var (problem, query) = await LoadAsync(vin, Iso(at.Value - Margin), Iso(at.Value + Margin), null, TimeSpan.Zero, directory, database,
            time, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        return history.SetPrice(vin, query!.Car.BatteryCapacityKwh, query.Samples, at.Value, request!.PricePerKwh, request.Cost) is { } session
            ? TypedResults.Ok(session)
            : TypedResults.Problem(statusCode: 404, title: "No such charging session",
                detail: $"No charging session of {vin.ToUpperInvariant()} started at {Iso(at.Value)}; list them with GET /api/vehicles/{{vin}}/charges.",
                extensions: new Dictionary<string, object?> { ["code"] = ChargeNotFound });
    }

    private static ValidationProblem? PriceProblem(ChargePriceRequest? request) => request switch
    {
        null or { PricePerKwh: null, Cost: null } => Fail("pricePerKwh", "Give pricePerKwh (per kWh from the grid) or cost (the whole session).").Problem,
        { PricePerKwh: not null, Cost: not null } => Fail("cost", "Give pricePerKwh or cost, not both.").Problem,
        { PricePerKwh: { } price } when !double.IsFinite(price) || price is < 0 or > 100 => Fail("pricePerKwh", "pricePerKwh is a price from 0 to 100.").Problem,
        { Cost: { } cost } when !double.IsFinite(cost) || cost is < 0 or > 100_000 => Fail("cost", "cost is an amount from 0 to 100000.").Problem,
        _ => null,
    };

    private static string Iso(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static async Task<Results<Ok<BatteryHealthDto[]>, ValidationProblem>> GetBatteryHealth(string vin, VehicleDirectory directory,
        HistoryDatabase database, CancellationToken cancellationToken)
    {
        if (!Vin.IsValid(vin))
        {
            return Fail("vin", Vin.Rule).Problem!;
        }

        await directory.FindAsync(vin, cancellationToken);
        using var connection = database.Open();
        return TypedResults.Ok(BatteryHealth.Read(connection, vin).ToArray());
    }

    public static async Task<Results<Ok<PositionDto[]>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> GetPositions(string vin,
        [FromQuery] string? from, [FromQuery] string? to, [FromQuery] string? format, VehicleDirectory directory, HistoryDatabase database,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var (problem, query) = await LoadAsync(vin, from, to, format, TimeSpan.Zero, directory, database, time, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var positions = query!.Samples
            .Where(s => s.HasPosition)
            .Select(s => new PositionDto(s.At, s.Latitude!.Value, s.Longitude!.Value, s.OdometerKm, s.BatteryLevel))
            .ToArray();
        return query.Csv
            ? Csv(vin, "positions", ["at", "latitude", "longitude", "odometerKm", "batteryLevel"],
                positions.Select(p => new object?[] { p.At, p.Latitude, p.Longitude, p.OdometerKm, p.BatteryLevel }))
            : TypedResults.Ok(positions);
    }

    /// <summary>A checked request: its range, the car, and the car's samples from the range widened by a margin.</summary>
    private sealed record HistoryQuery(DateTimeOffset From, DateTimeOffset To, bool Csv, Vehicle Car, List<HistorySample> Samples)
    {
        public bool StartsInRange(Trip trip) => trip.Start >= From && trip.Start < To;

        public bool StartsInRange(ChargeSession session) => session.Start >= From && session.Start < To;
    }

    private readonly record struct Checked(ValidationProblem? Problem, (DateTimeOffset From, DateTimeOffset To, bool Csv)? Query);

    private static async Task<(ValidationProblem? Problem, HistoryQuery? Query)> LoadAsync(string vin, string? from, string? to, string? format,
        TimeSpan margin, VehicleDirectory directory, HistoryDatabase database, TimeProvider time, CancellationToken cancellationToken)
    {
        var checkedQuery = Check(vin, from, to, format, time);
        if (checkedQuery.Problem is { } problem)
        {
            return (problem, null);
        }

        var (start, end, csv) = checkedQuery.Query!.Value;
        var entry = await directory.FindAsync(vin, cancellationToken);
        return (null, new HistoryQuery(start, end, csv, entry.Vehicle, Read(database, vin, start - margin, end + margin)));
    }

    private static Checked Check(string vin, string? from, string? to, string? format, TimeProvider time)
    {
        if (!Vin.IsValid(vin))
        {
            return Fail("vin", Vin.Rule);
        }

        if (format is not (null or "json" or "csv"))
        {
            return Fail("format", "format is json (the default) or csv.");
        }

        if (!TryParseInstant(to, out var end))
        {
            return Fail("to", "to is an ISO-8601 date or date and time with offset, e.g. 2026-11-28T18:00:00Z.");
        }

        if (!TryParseInstant(from, out var start))
        {
            return Fail("from", "from is an ISO-8601 date or date and time with offset, e.g. 2026-11-01T00:00:00Z.");
        }

        var until = end ?? time.GetUtcNow();
        var since = start ?? until - DefaultRange;
        if (since >= until)
        {
            return Fail("from", "from must be before to.");
        }

        return until - since > LongestRange
            ? Fail("to", $"from and to may be at most {LongestRange.TotalDays:0} days apart.")
            : new Checked(null, (since, until, format == "csv"));
    }

    private static Checked Fail(string field, string reason) => new((ValidationProblem)Validation.Problem(field, reason), null);

    private static bool TryParseInstant(string? text, out DateTimeOffset? instant)
    {
        instant = null;
        if (text is null)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var parsed))
        {
            instant = parsed;
            return true;
        }

        return false;
    }

    private static List<HistorySample> Read(HistoryDatabase database, string vin, DateTimeOffset from, DateTimeOffset to)
    {
        using var connection = database.Open();
        return HistorySamples.Read(connection, vin, from, to);
    }

    private static FileContentHttpResult Csv(string vin, string what, string[] header, IEnumerable<object?[]> rows)
    {
        var text = new StringBuilder().AppendJoin(',', header).Append("\r\n");
        foreach (var row in rows)
        {
            text.AppendJoin(',', row.Select(Cell)).Append("\r\n");
        }

        return TypedResults.File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv; charset=utf-8", $"{vin.ToUpperInvariant()}-{what}.csv");
    }

    private static string Cell(object? value) => value switch
    {
        null => "",
        DateTimeOffset at => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        string text when text.IndexOfAny([',', '"', '\r', '\n']) >= 0 => $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
