using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.History;
using EvGateway.Simulator.Cars;
using EvGateway.Simulator.Renault;
using EvGateway.Simulator.Tariff;
using EvGateway.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace EvGateway.Tests.History;

/// <summary>
/// A day of a simulated Zoe through the real Renault adapter and the simulator, on the fake clock: drive to work,
/// park, charge at night in the cheap hours, drive again. The gateway reads the car's status every quarter hour, as
/// a dashboard would, and its history must show what the car did.
/// </summary>
public sealed class SimulatedDayTests
{
    private const string Vin = RenaultCloud.DemoZoePhase2Vin;
    private const double DayPrice = 0.20;
    private const double NightPrice = 0.10;
    private const double Efficiency = 0.9;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_day_of_driving_and_night_charging_yields_its_two_trips_and_one_priced_session_in_JSON_CSV_and_the_old_bridge_shapes()
    {
        await using var app = await GatewayApp.StartAsync(FixedRates(feed: false));
        var car = app.Simulator.Renault.Car(Vin);
        var spec = car.Spec;
        var (leaveHome, atWork, plugged, charged, leaveAgain, arrived) = await LiveADayAsync(app);

        var range = $"from={Iso(leaveHome.Timestamp.AddHours(-1))}&to={Iso(arrived.Timestamp.AddHours(1))}";
        await app.Services.GetRequiredService<HistoryWriter>().FlushAsync(Ct);
        var trips = await app.Client.GetFromJsonAsync<JsonElement[]>($"/api/vehicles/{Vin}/trips?{range}", Ct);
        var charges = await app.Client.GetFromJsonAsync<JsonElement[]>($"/api/vehicles/{Vin}/charges?{range}", Ct);

        Assert.Equal(2, trips!.Length);
        AssertTrip(trips[0], leaveHome, atWork, points: 20, spec);
        AssertTrip(trips[1], leaveAgain, arrived, points: 15, spec);

        var session = Assert.Single(charges!);
        Assert.False(charged.Charging);
        // Read a quarter hour later, the start is put back by the energy already added at the reported power.
        Assert.Equal(plugged.Timestamp, session.GetProperty("start").GetDateTimeOffset(), TimeSpan.FromMinutes(3));
        Assert.Equal(40, session.GetProperty("startLevel").GetDouble());
        Assert.Equal(100, session.GetProperty("endLevel").GetDouble());
        var energy = 60 * spec.CapacityKwh / 100;
        var hours = energy / spec.ChargePowerKw;
        Assert.Equal(plugged.Timestamp.AddHours(hours), session.GetProperty("end").GetDateTimeOffset(), TimeSpan.FromMinutes(2));
        Assert.Equal(energy, session.GetProperty("energyKwh").GetDouble(), energy * 0.02);
        Assert.Equal(spec.ChargePowerKw, session.GetProperty("maxPowerKw").GetDouble(), 0.01);
        var cost = energy / Efficiency * NightPrice;
        Assert.Equal(cost, session.GetProperty("cost").GetDouble(), cost * 0.02);
        Assert.Equal("EUR", session.GetProperty("currency").GetString());
        Assert.Equal(car.Latitude, session.GetProperty("location").GetProperty("latitude").GetDouble(), 4);

        var tripsCsv = (await app.Client.GetStringAsync($"/api/vehicles/{Vin}/trips?{range}&format=csv", Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var chargesCsv = (await app.Client.GetStringAsync($"/api/vehicles/{Vin}/charges?{range}&format=csv", Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, tripsCsv.Length);
        Assert.StartsWith("start,end,distanceKm,energyKwh,", tripsCsv[0], StringComparison.Ordinal);
        Assert.Equal(trips[1].GetProperty("distanceKm").GetDouble(), double.Parse(tripsCsv[2].Split(',')[2], CultureInfo.InvariantCulture));
        Assert.Equal(2, chargesCsv.Length);
        Assert.Equal(session.GetProperty("cost").GetDouble(), double.Parse(chargesCsv[1].Split(',')[6], CultureInfo.InvariantCulture));

        var legacyAnswer = await app.Client.SendAsync(LanPage.Get("/vehicles/chargings"), Ct);
        var legacyText = await legacyAnswer.Content.ReadAsStringAsync(Ct);
        var startAt = HttpDate(session.GetProperty("start").GetDateTimeOffset());
        // All history, not the day's range: the session the demo car was in when the gateway started comes first.
        var legacy = Assert.Single(JsonSerializer.Deserialize<JsonElement[]>(legacyText)!,
            c => c.GetProperty("VIN").GetString() == Vin && c.GetProperty("start_at").GetString() == startAt);
        Assert.Equal(LanPage.Origin, legacyAnswer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.EndsWith("]\n", legacyText, StringComparison.Ordinal);
        Assert.Equal(["VIN", "charging_mode", "co2", "duration_min", "duration_str", "end_level", "kw", "mileage", "price", "start_at", "start_level", "stop_at"],
            legacy.EnumerateObject().Select(p => p.Name));
        Assert.Equal((40, 100), (legacy.GetProperty("start_level").GetInt32(), legacy.GetProperty("end_level").GetInt32()));
        Assert.Equal(session.GetProperty("energyKwh").GetDouble(), legacy.GetProperty("kw").GetDouble());
        Assert.Equal(session.GetProperty("cost").GetDouble(), legacy.GetProperty("price").GetDouble());
        Assert.Equal(plugged.OdometerKm, legacy.GetProperty("mileage").GetDouble(), 0);

        Assert.Matches(@"^\d:\d\d:\d\d(\.\d{6})?$", legacy.GetProperty("duration_str").GetString());
        Assert.Equal((session.GetProperty("end").GetDateTimeOffset() - session.GetProperty("start").GetDateTimeOffset()).TotalMinutes,
            legacy.GetProperty("duration_min").GetDouble(), 0.01);

        var positionsText = await app.Client.GetStringAsync("/positions", Ct);
        Assert.StartsWith("{\"features\": [{\"geometry\": {\"coordinates\": [", positionsText, StringComparison.Ordinal);
        Assert.EndsWith("], \"type\": \"FeatureCollection\"}", positionsText, StringComparison.Ordinal);
        var positions = JsonSerializer.Deserialize<JsonElement>(positionsText);
        Assert.Equal("FeatureCollection", positions.GetProperty("type").GetString());
        var last = positions.GetProperty("features").EnumerateArray().Last(f => f.GetProperty("properties").GetProperty("vin").GetString() == Vin);
        Assert.Equal(arrived.OdometerKm, last.GetProperty("properties").GetProperty("mileage").GetDouble(), 0);
        Assert.Equal(car.Longitude, last.GetProperty("geometry").GetProperty("coordinates")[0].GetDouble(), 5);
    }

    [Fact]
    public async Task The_old_bridge_trips_route_lists_the_first_car_trips_numbered_with_minutes_and_speed()
    {
        await using var app = await GatewayApp.StartAsync();
        var first = (await app.Client.GetFromJsonAsync<JsonElement[]>("/api/vehicles", Ct))![0].GetProperty("vin").GetString()!;
        var car = app.Simulator.Renault.Car(first);
        await Poll(app, minutes: 0, first);
        app.Time.Advance(TimeSpan.FromMinutes(10));
        car.Plug(false);
        await Poll(app, minutes: 1, first);
        var before = car.Read();
        app.Time.Advance(TimeSpan.FromMinutes(30));
        car.Drive(25);
        var minutes = (car.Read().Timestamp - before.Timestamp).TotalMinutes;
        await Poll(app, minutes: 1, first);
        await Poll(app, minutes: 30, first);
        await app.Services.GetRequiredService<HistoryWriter>().FlushAsync(Ct);

        var text = await app.Client.GetStringAsync("/vehicles/trips", Ct);

        var trip = Assert.Single(JsonSerializer.Deserialize<JsonElement[]>(text)!);
        Assert.Equal(1, trip.GetProperty("id").GetInt32());
        Assert.Equal(25, trip.GetProperty("distance").GetDouble(), 0.1);
        Assert.Equal(minutes, trip.GetProperty("duration").GetDouble(), 0.1);
        Assert.Equal(25 / minutes * 60, trip.GetProperty("speed_average").GetDouble(), 0.5);
        Assert.Equal(car.Read().OdometerKm, trip.GetProperty("mileage").GetDouble(), 0);
        Assert.Equal(before.Timestamp.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture),
            trip.GetProperty("start_at").GetString());
        Assert.Equal(JsonValueKind.Array, trip.GetProperty("positions").GetProperty("lat").ValueKind);
        Assert.Contains("\"distance\":25.0", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_day_ahead_feed_the_night_charge_is_priced_from_the_slots_it_ran_in_after_the_feed_forgot_them()
    {
        await using var app = await GatewayApp.StartAsync(FixedRates(feed: true));
        var car = app.Simulator.Renault.Car(Vin);
        var night = app.Time.GetUtcNow().Date.AddDays(1).AddHours(22);
        // Pence per kWh: dear all day, 12 p in the evening, 6 p after midnight; the fixed rates would say 20 and 10 (euro)cents.
        app.Simulator.Tariff.Pin(HalfHours(new DateTimeOffset(night.AddDays(-2), TimeSpan.Zero), hours: 96, at =>
            at.Hour is >= 22 ? 12 : at.Hour is < 6 ? 6 : 30));
        var day = await LiveADayAsync(app);
        var recorder = app.Services.GetRequiredService<TariffRecorder>();
        await recorder.RecordAsync(Ct);

        // The feed moves on: the night's prices are no longer published, and the next read keeps what it had.
        var later = new DateTimeOffset(night.AddDays(2), TimeSpan.Zero);
        app.Simulator.Tariff.Pin(HalfHours(later, hours: 24, _ => 50));
        await Poll(app, minutes: 45);
        await recorder.RecordAsync(Ct);
        using (var connection = app.Services.GetRequiredService<HistoryDatabase>().Open())
        {
            Assert.Equal(50, Assert.Single(HistoryPrices.ReadSlots(connection, later, later.AddMinutes(1))).PricePerKwh);
        }

        await app.Services.GetRequiredService<HistoryWriter>().FlushAsync(Ct);
        var range = $"from={Iso(day.LeaveHome.Timestamp.AddHours(-1))}&to={Iso(day.Arrived.Timestamp.AddHours(1))}";
        var session = Assert.Single((await app.Client.GetFromJsonAsync<JsonElement[]>($"/api/vehicles/{Vin}/charges?{range}", Ct))!);

        var start = session.GetProperty("start").GetDateTimeOffset();
        var end = session.GetProperty("end").GetDateTimeOffset();
        var energy = 60 * car.Spec.CapacityKwh / 100;
        var beforeMidnight = (start.Date.AddDays(1) - start.UtcDateTime) / (end - start);
        var expected = energy / Efficiency * (beforeMidnight * 0.12 + (1 - beforeMidnight) * 0.06);
        Assert.InRange(beforeMidnight, 0.1, 0.9);
        Assert.Equal(expected, session.GetProperty("cost").GetDouble(), expected * 0.02);
        Assert.Equal(energy / (end - start).TotalHours, session.GetProperty("averagePowerKw").GetDouble(), car.Spec.ChargePowerKw * 0.02);
        Assert.Equal("home", session.GetProperty("place").GetString());
        Assert.False(session.GetProperty("priceEdited").GetBoolean());

        // The owner's own price wins, everywhere the session is shown.
        var edited = await app.Client.PutAsJsonAsync($"/api/vehicles/{Vin}/charges/{Iso(start)}/price", new { pricePerKwh = 0.3 }, Ct);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var cost = Math.Round(session.GetProperty("energyKwh").GetDouble() / Efficiency * 0.3, 2);
        Assert.Equal(cost, (await edited.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("cost").GetDouble());
        var listed = Assert.Single((await app.Client.GetFromJsonAsync<JsonElement[]>($"/api/vehicles/{Vin}/charges?{range}", Ct))!);
        Assert.Equal(cost, listed.GetProperty("cost").GetDouble());
        Assert.True(listed.GetProperty("priceEdited").GetBoolean());
        var csv = (await app.Client.GetStringAsync($"/api/vehicles/{Vin}/charges?{range}&format=csv", Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(cost, double.Parse(csv[1].Split(',')[6], CultureInfo.InvariantCulture));
        Assert.EndsWith(",home,True,gateway", csv[1], StringComparison.Ordinal);

        await app.Client.PutAsJsonAsync($"/api/vehicles/{Vin}/charges/{Iso(start.AddSeconds(20))}/price", new { cost = 3.1 }, Ct);
        var legacy = JsonSerializer.Deserialize<JsonElement[]>(await app.Client.GetStringAsync("/vehicles/chargings", Ct))!;
        Assert.Equal(3.1, legacy.Single(c => c.GetProperty("VIN").GetString() == Vin && c.GetProperty("start_at").GetString() == HttpDate(start))
            .GetProperty("price").GetDouble());
    }

    internal static Dictionary<string, string?> FixedRates(bool feed)
    {
        var settings = new Dictionary<string, string?>
        {
            ["History:DayPrice"] = DayPrice.ToString(CultureInfo.InvariantCulture),
            ["History:NightPrice"] = NightPrice.ToString(CultureInfo.InvariantCulture),
            ["History:NightStart"] = "22:30",
            ["History:NightEnd"] = "06:00",
            ["History:ChargerEfficiency"] = Efficiency.ToString(CultureInfo.InvariantCulture),
            ["History:Currency"] = "EUR",
            ["History:TimeZone"] = "UTC",
        };
        if (!feed)
        {
            // The test gateway reads the simulator's feed as demo mode does; without one the fixed rates apply.
            settings["Tariff:Url"] = "";
        }

        return settings;
    }

    private static IEnumerable<TariffRate> HalfHours(DateTimeOffset from, int hours, Func<DateTimeOffset, double> pence) =>
        Enumerable.Range(0, hours * 2).Select(i => from.AddMinutes(30 * i)).Select(at => new TariffRate(at, at.AddMinutes(30), pence(at)));

    internal sealed record Day(CarSnapshot LeaveHome, CarSnapshot AtWork, CarSnapshot Plugged, CarSnapshot Charged, CarSnapshot LeaveAgain,
        CarSnapshot Arrived);

    // Drive to work, park, home in the evening, charge at night from 22:35, drive next morning; read every quarter hour.
    internal static async Task<Day> LiveADayAsync(GatewayApp app)
    {
        var car = app.Simulator.Renault.Car(Vin);
        var spec = car.Spec;
        var morning = app.Time.GetUtcNow().Date.AddDays(1).AddHours(7);
        car.Plug(false);
        await PollUntil(app, new DateTimeOffset(morning, TimeSpan.Zero));

        // To work: 20 points of battery in two legs, read in between.
        car.SetLevel(80);
        await Poll(app, minutes: 50);
        var leaveHome = car.Read();
        car.Drive(KmFor(10, spec));
        await Poll(app, minutes: 15);
        car.Drive(KmFor(10, spec));
        var atWork = car.Read();
        await PollFor(app, hours: 14);

        // Home in the evening, plugged in when the night rate starts.
        car.SetLevel(40);
        await Poll(app, minutes: 30);
        car.Plug(true);
        car.StartCharging();
        var plugged = car.Read();
        await PollFor(app, hours: 8.5);
        var charged = car.Read();

        // Next morning: unplug and drive 15 points' worth.
        car.Plug(false);
        await Poll(app, minutes: 15);
        var leaveAgain = car.Read();
        car.Drive(KmFor(15, spec));
        var arrived = car.Read();
        await PollFor(app, hours: 1);
        return new Day(leaveHome, atWork, plugged, charged, leaveAgain, arrived);
    }

    private static string HttpDate(DateTimeOffset at) => at.UtcDateTime.ToString("ddd, dd MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture);

    private static void AssertTrip(JsonElement trip, CarSnapshot from, CarSnapshot to, int points, CarSpec spec)
    {
        Assert.Equal(from.Timestamp, trip.GetProperty("start").GetDateTimeOffset(), TimeSpan.FromSeconds(1));
        Assert.Equal(to.Timestamp, trip.GetProperty("end").GetDateTimeOffset(), TimeSpan.FromSeconds(1));
        Assert.Equal(to.OdometerKm - from.OdometerKm, trip.GetProperty("distanceKm").GetDouble(), 0.2);
        var energy = points * spec.CapacityKwh / 100;
        Assert.Equal(energy, trip.GetProperty("energyKwh").GetDouble(), energy * 0.02);
        Assert.Equal(spec.ConsumptionKwhPer100Km, trip.GetProperty("consumptionKwhPer100Km").GetDouble(), spec.ConsumptionKwhPer100Km * 0.02);
        Assert.Equal(from.Level, trip.GetProperty("startLevel").GetDouble(), 0);
        Assert.Equal(to.Level, trip.GetProperty("endLevel").GetDouble(), 0);
    }

    // The distance that uses exactly this many points of battery, so the car reports whole levels.
    private static double KmFor(int points, CarSpec spec) => points * spec.CapacityKwh / spec.ConsumptionKwhPer100Km;

    private static string Iso(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O", CultureInfo.InvariantCulture));

    private static async Task Poll(GatewayApp app, int minutes, string vin = Vin)
    {
        app.Time.Advance(TimeSpan.FromMinutes(minutes));
        var answer = await app.Client.GetAsync($"/api/vehicles/{vin}/status?maxAge=0", Ct);
        Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync(Ct));
    }

    private static async Task PollFor(GatewayApp app, double hours)
    {
        for (var i = 0; i < hours * 4; i++)
        {
            await Poll(app, minutes: 15);
        }
    }

    private static async Task PollUntil(GatewayApp app, DateTimeOffset at)
    {
        // A read first lets the start-up login and first fetch finish: a jump of the clock while a call is out times it out.
        await Poll(app, minutes: 0);
        app.Time.Advance(at - app.Time.GetUtcNow());
        await Poll(app, minutes: 0);
    }
}
