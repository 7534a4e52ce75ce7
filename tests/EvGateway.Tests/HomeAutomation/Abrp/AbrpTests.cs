using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.Simulator;
using EvGateway.Simulator.Abrp;
using EvGateway.Simulator.Renault;
using EvGateway.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.HomeAutomation.Abrp;

public sealed class AbrpTests : IAsyncLifetime
{
    private const string Zoe = RenaultCloud.DemoZoePhase2Vin;
    private const string Megane = RenaultCloud.DemoMeganeVin;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private TestBed bed = null!;

    public async ValueTask InitializeAsync() => bed = await TestBed.StartAsync(new SimulatorOptions { TimeProvider = new FakeTimeProvider(DateTimeOffset.UtcNow) });

    public ValueTask DisposeAsync() => bed.DisposeAsync();

    private GatewayApp Start(string? apiKey = AbrpTelemetryApi.ApiKey) => GatewayApp.Start(bed, new()
    {
        ["Abrp:Url"] = bed.Simulator.AbrpUrl.ToString(),
        ["Abrp:ApiKey"] = apiKey,
    });

    [Fact]
    public async Task A_car_that_opted_in_sends_each_fresh_reading_once_with_its_charge_and_position()
    {
        await using var app = Start();
        var turnedOn = await app.Client.PutAsJsonAsync($"/api/vehicles/{Zoe}/abrp", new { enabled = true, token = AbrpTelemetryApi.DemoUserToken }, Ct);
        Assert.Equal(HttpStatusCode.OK, turnedOn.StatusCode);

        var status = await app.Client.GetFromJsonAsync<JsonElement>($"/api/vehicles/{Zoe}/status?maxAge=0", Ct);
        var reading = (await WaitForReadingsAsync(1)).Single();

        Assert.Equal(AbrpTelemetryApi.DemoUserToken, reading.Token);
        var tlm = reading.Telemetry;
        Assert.Equal(status.GetProperty("batteryLevel").GetDouble(), tlm.GetProperty("soc").GetDouble());
        Assert.Equal(status.GetProperty("updatedAt").GetDateTimeOffset().ToUnixTimeSeconds(), tlm.GetProperty("utc").GetInt64());
        Assert.True(tlm.GetProperty("is_charging").GetBoolean());
        Assert.Equal(-status.GetProperty("chargePowerKw").GetDouble(), tlm.GetProperty("power").GetDouble());
        Assert.Equal(status.GetProperty("location").GetProperty("latitude").GetDouble(), tlm.GetProperty("lat").GetDouble());
        Assert.Equal(status.GetProperty("location").GetProperty("longitude").GetDouble(), tlm.GetProperty("lon").GetDouble());

        // The same reading served from the cache, or read again before the car has anything new, is not sent again.
        await app.Client.GetAsync($"/api/vehicles/{Zoe}/status", Ct);
        await app.Client.GetAsync($"/get_vehicleinfo/{Zoe}?from_cache=1", Ct);
        await Task.Delay(300, Ct);
        Assert.Single(bed.Simulator.Abrp.Received);

        // A newer reading goes out.
        app.Time.Advance(TimeSpan.FromMinutes(10));
        var later = await app.Client.GetFromJsonAsync<JsonElement>($"/api/vehicles/{Zoe}/status?maxAge=0", Ct);
        Assert.NotEqual(status.GetProperty("updatedAt").GetString(), later.GetProperty("updatedAt").GetString());
        var readings = await WaitForReadingsAsync(2);
        Assert.Equal(later.GetProperty("batteryLevel").GetDouble(), readings[1].Telemetry.GetProperty("soc").GetDouble());

        var view = await app.Client.GetFromJsonAsync<JsonElement>($"/api/vehicles/{Zoe}/abrp", Ct);
        Assert.True(view.GetProperty("enabled").GetBoolean());
        Assert.True(view.GetProperty("tokenSet").GetBoolean());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("lastError").ValueKind);
        Assert.DoesNotContain(AbrpTelemetryApi.DemoUserToken, view.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_car_that_did_not_opt_in_sends_nothing_and_sending_costs_no_cloud_call()
    {
        await using var app = Start();
        await app.Client.PutAsJsonAsync($"/api/vehicles/{Zoe}/abrp", new { enabled = true, token = AbrpTelemetryApi.DemoUserToken }, Ct);
        await app.Client.GetAsync("/api/vehicles", Ct);
        bed.Renault.ResetCounters();

        await app.Client.GetAsync($"/api/vehicles/{Megane}/status?maxAge=0", Ct);
        await app.Client.GetAsync($"/api/vehicles/{Zoe}/status?maxAge=0", Ct);
        await WaitForReadingsAsync(1);
        await Task.Delay(300, Ct);

        Assert.Single(bed.Simulator.Abrp.Received);
        Assert.Equal(2, bed.Renault.CallCount("battery-status"));
    }

    [Fact]
    public async Task A_refused_token_is_reported_once_in_the_view_and_the_log_and_never_logged_itself()
    {
        const string wrong = "not-a-token-abrp-knows";
        await using var app = Start();
        await app.Client.PutAsJsonAsync($"/api/vehicles/{Zoe}/abrp", new { enabled = true, token = wrong }, Ct);

        await app.Client.GetAsync($"/api/vehicles/{Zoe}/status?maxAge=0", Ct);
        var view = await WaitForErrorAsync(app, Zoe);
        Assert.Contains("Unknown user token", view.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        app.Time.Advance(TimeSpan.FromMinutes(10));
        await app.Client.GetAsync($"/api/vehicles/{Zoe}/status?maxAge=0", Ct);
        await Task.Delay(500, Ct);

        Assert.Empty(bed.Simulator.Abrp.Received);
        Assert.Single(app.Log.Lines, line => line.Contains("ABRP live data", StringComparison.Ordinal));
        Assert.DoesNotContain(wrong, app.Log.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_api_key_nothing_is_sent_and_the_view_says_which_setting_is_missing()
    {
        await using var app = Start(apiKey: null);
        await app.Client.PutAsJsonAsync($"/api/vehicles/{Zoe}/abrp", new { enabled = true, token = AbrpTelemetryApi.DemoUserToken }, Ct);

        await app.Client.GetAsync($"/api/vehicles/{Zoe}/status?maxAge=0", Ct);
        var view = await WaitForErrorAsync(app, Zoe);

        Assert.False(view.GetProperty("apiKeySet").GetBoolean());
        Assert.Contains("Abrp:ApiKey", view.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Empty(bed.Simulator.Abrp.Received);
    }

    [Theory]
    [InlineData("{\"token\":\"abc\"}", "enabled")]
    [InlineData("{\"enabled\":true}", "token")]
    [InlineData("{\"enabled\":true,\"token\":\"two words\"}", "token")]
    public async Task Bad_requests_are_a_400_naming_the_field(string body, string field)
    {
        await using var app = Start();
        var answer = await app.Client.PutAsync($"/api/vehicles/{Zoe}/abrp", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public async Task An_unknown_car_is_a_404()
    {
        await using var app = Start();
        var answer = await app.Client.PutAsJsonAsync("/api/vehicles/VF1AG000999999999/abrp", new { enabled = true, token = "x" }, Ct);
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
    }

    [Fact]
    public async Task The_old_bridge_route_sets_the_owner_token_and_the_opt_ins_and_answers_in_its_shape_with_the_token_masked()
    {
        await using var app = Start();

        var answer = await app.Client.GetFromJsonAsync<JsonElement>($"/abrp?vin={Zoe}&enable=1&token={AbrpTelemetryApi.DemoUserToken}", Ct);

        Assert.Equal([Zoe], answer.GetProperty("abrp_enable_vin").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("****" + AbrpTelemetryApi.DemoUserToken[^4..], answer.GetProperty("token").GetString());
        await app.Client.GetAsync($"/api/vehicles/{Zoe}/status?maxAge=0", Ct);
        Assert.Equal(AbrpTelemetryApi.DemoUserToken, (await WaitForReadingsAsync(1)).Single().Token);

        var off = await app.Client.GetFromJsonAsync<JsonElement>($"/abrp?vin={Zoe}&enable=0", Ct);
        Assert.Empty(off.GetProperty("abrp_enable_vin").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await app.Client.GetAsync($"/abrp?vin={Zoe}&enable=yes", Ct)).StatusCode);

        // The opt-ins and the token are kept across a restart, owner-only.
        await app.DisposeAsync();
        await using var again = Start();
        var kept = await again.Client.GetFromJsonAsync<JsonElement>("/abrp", Ct);
        Assert.Equal("****" + AbrpTelemetryApi.DemoUserToken[^4..], kept.GetProperty("token").GetString());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(bed.DataDirectory, "abrp.json")));
        }
    }

    private async Task<IReadOnlyList<AbrpReading>> WaitForReadingsAsync(int count)
    {
        for (var waited = 0; waited < 150 && bed.Simulator.Abrp.Received.Count < count; waited++)
        {
            await Task.Delay(100, Ct);
        }

        Assert.Equal(count, bed.Simulator.Abrp.Received.Count);
        return bed.Simulator.Abrp.Received;
    }

    private static async Task<JsonElement> WaitForErrorAsync(GatewayApp app, string vin)
    {
        for (var waited = 0; waited < 150; waited++)
        {
            var view = await app.Client.GetFromJsonAsync<JsonElement>($"/api/vehicles/{vin}/abrp", Ct);
            if (view.GetProperty("lastError").ValueKind == JsonValueKind.String)
            {
                return view;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException("No ABRP error was reported.");
    }
}
