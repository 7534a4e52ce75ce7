using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.Simulator.Renault;

namespace EvGateway.Tests.Vehicles.Budget;

/// <summary>How scripted reads and the dashboard's reads reach the cloud under the default refresh policy.</summary>
public sealed class ScriptedReadsTests
{
    private const string Vin = RenaultCloud.DemoZoePhase2Vin;
    private const string Url = $"/api/vehicles/{Vin}/status?maxAge=0";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // The default policy for this car only: the background refresh of the account's other demo cars would add calls.
    private static Task<GatewayApp> StartAsync() =>
        GatewayApp.StartAsync(new Dictionary<string, string?> { [$"Gateway:Cars:{Vin}:RefreshPolicy"] = "connected" }, makers: Makers.Renault);

    [Fact]
    public async Task A_script_polling_with_maxAge_0_reaches_the_cloud_once_per_refresh_interval_and_gets_the_cached_status_between()
    {
        await using var app = await StartAsync();
        await app.Client.GetAsync(Url, Ct);
        var afterFirst = app.Simulator.Renault.CallCount("battery-status");

        var between = new List<JsonElement>();
        for (var i = 0; i < 4; i++)
        {
            app.Time.Advance(TimeSpan.FromMinutes(1));
            between.Add(await app.Client.GetFromJsonAsync<JsonElement>(Url, Ct));
        }

        app.Time.Advance(TimeSpan.FromMinutes(1));
        await app.Client.GetAsync(Url, Ct);

        Assert.Equal(1, afterFirst);
        Assert.All(between, status => Assert.False(status.GetProperty("stale").GetBoolean()));
        Assert.Single(between.Select(status => status.GetProperty("fetchedAt").GetString()).Distinct());
        // The fifth minute's read or the background refresh, whichever came first: the other found the status fresh.
        Assert.Equal(2, app.Simulator.Renault.CallCount("battery-status"));
    }

    [Fact]
    public async Task A_read_from_the_gateway_page_is_a_person_asking_and_reaches_the_cloud_at_once()
    {
        await using var app = await StartAsync();
        await app.Client.GetAsync(Url, Ct);
        app.Time.Advance(TimeSpan.FromSeconds(10));

        using var request = new HttpRequestMessage(HttpMethod.Get, Url);
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        await app.Client.SendAsync(request, Ct);

        Assert.Equal(2, app.Simulator.Renault.CallCount("battery-status"));
    }

    [Fact]
    public async Task The_car_list_says_each_cars_refresh_policy_and_when_it_is_next_read()
    {
        await using var app = await StartAsync();
        var before = app.Time.GetUtcNow();
        await app.Client.GetAsync(Url, Ct);

        var cars = await app.Client.GetFromJsonAsync<JsonElement[]>("/api/vehicles", Ct);

        var zoe = cars!.Single(car => car.GetProperty("vin").GetString() == Vin);
        Assert.Equal("connected", zoe.GetProperty("refreshPolicy").GetString());
        Assert.Equal(before + TimeSpan.FromMinutes(5), zoe.GetProperty("nextRefreshAt").GetDateTimeOffset());
    }
}
