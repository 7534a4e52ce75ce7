using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.History;
using EvGateway.Simulator.Renault;
using EvGateway.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.History;

public sealed class HistoryApiTests
{
    private const string Vin = RenaultCloud.DemoZoePhase2Vin;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("trips?from=yesterday", "from")]
    [InlineData("charges?to=2026-13-45", "to")]
    [InlineData("positions?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z", "from")]
    [InlineData("trips?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    [InlineData("charges?format=xlsx", "format")]
    public async Task Bad_query_values_are_a_400_naming_the_field(string query, string field)
    {
        await using var app = await GatewayApp.StartAsync();

        var answer = await app.Client.GetAsync($"/api/vehicles/{Vin}/{query}", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Theory]
    [InlineData("2026-11-28T22:30:00Z", "{}", "pricePerKwh")]
    [InlineData("2026-11-28T22:30:00Z", "{\"pricePerKwh\": -1}", "pricePerKwh")]
    [InlineData("2026-11-28T22:30:00Z", "{\"pricePerKwh\": 0.2, \"cost\": 3}", "cost")]
    [InlineData("2026-11-28T22:30:00Z", "{\"cost\": 1e9}", "cost")]
    [InlineData("last-night", "{\"cost\": 3}", "start")]
    public async Task A_session_price_that_makes_no_sense_is_a_400_naming_the_field(string start, string body, string field)
    {
        await using var app = await GatewayApp.StartAsync();

        var answer = await app.Client.PutAsync($"/api/vehicles/{Vin}/charges/{start}/price",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task A_price_for_a_session_the_history_does_not_hold_is_a_404()
    {
        await using var app = await GatewayApp.StartAsync();

        var answer = await app.Client.PutAsJsonAsync($"/api/vehicles/{Vin}/charges/2020-01-01T00:00:00Z/price", new { cost = 3.1 }, Ct);

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Equal(HistoryApi.ChargeNotFound, (await answer.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_malformed_VIN_is_a_400_and_an_unknown_one_a_404()
    {
        await using var app = await GatewayApp.StartAsync();

        var malformed = await app.Client.GetAsync("/api/vehicles/NOT-A-VIN/trips", Ct);
        var unknown = await app.Client.GetAsync("/api/vehicles/VF1AG000164999999/charges", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("vehicle_not_found", (await unknown.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Positions_list_every_recorded_place_in_JSON_and_CSV()
    {
        await using var app = await GatewayApp.StartAsync();
        var car = app.Simulator.Renault.Car(Vin);
        await ReadUntilOdometer(app, car.Read().OdometerKm);
        app.Time.Advance(TimeSpan.FromMinutes(10));
        car.Drive(12);
        await ReadUntilOdometer(app, car.Read().OdometerKm);
        await app.Services.GetRequiredService<HistoryWriter>().FlushAsync(Ct);

        var positions = await app.Client.GetFromJsonAsync<JsonElement[]>($"/api/vehicles/{Vin}/positions", Ct);
        var csv = await app.Client.GetAsync($"/api/vehicles/{Vin}/positions?format=csv", Ct);
        var lines = (await csv.Content.ReadAsStringAsync(Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(2, positions!.Length);
        Assert.Equal(car.Read().OdometerKm, positions[1].GetProperty("odometerKm").GetDouble(), 0);
        Assert.Equal(car.Latitude, positions[1].GetProperty("latitude").GetDouble(), 4);
        Assert.Equal(car.Read().Timestamp, positions[1].GetProperty("at").GetDateTimeOffset(), TimeSpan.FromSeconds(1));
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Equal(["at,latitude,longitude,odometerKm,batteryLevel"], lines.Take(1));
        Assert.Equal(3, lines.Length);
        Assert.Equal(positions[1].GetProperty("odometerKm").GetDouble(), double.Parse(lines[2].Split(',')[3], CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_car_with_no_history_has_empty_lists()
    {
        await using var app = await GatewayApp.StartAsync();

        foreach (var what in new[] { "trips", "charges", "positions" })
        {
            var list = await app.Client.GetFromJsonAsync<JsonElement[]>($"/api/vehicles/{RenaultCloud.DemoMeganeVin}/{what}", Ct);
            Assert.Empty(list!);
        }
    }

    [Fact]
    public async Task Without_a_car_the_old_bridge_routes_answer_their_empty_shapes()
    {
        using var data = new TemporaryDirectory();
        await using var app = await GatewayApp.StartOverStandInsAsync(new FakeTimeProvider(), data.Path, []);

        Assert.Equal("{}\n", await app.Client.GetStringAsync("/vehicles/trips", Ct));
        Assert.Equal("[]\n", await app.Client.GetStringAsync("/vehicles/chargings", Ct));
        Assert.Equal("{\"features\": [], \"type\": \"FeatureCollection\"}", await app.Client.GetStringAsync("/positions", Ct));
    }

    // A start-up read still out when the clock jumps times out, and a read joining it fails with it: read again.
    private static async Task ReadUntilOdometer(GatewayApp app, double odometerKm)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var answer = await app.Client.GetAsync($"/api/vehicles/{Vin}/status?maxAge=0", Ct);
            if (answer.IsSuccessStatusCode
                && Math.Abs((await answer.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("odometerKm").GetDouble() - odometerKm) < 0.5)
            {
                return;
            }
        }

        Assert.Fail($"The gateway never read the odometer at {odometerKm} km.");
    }
}
