using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.Simulator.Renault;

namespace EvGateway.Tests.Vehicles.Budget;

/// <summary>The call budget as a client of the REST surface meets it, over the Renault adapter and the simulated cloud.</summary>
public sealed class BudgetedReadsTests
{
    private const string Zoe = RenaultCloud.DemoZoePhase2Vin;
    private const string Megane = RenaultCloud.DemoMeganeVin;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<GatewayApp> StartAsync(int perHour) => GatewayApp.StartAsync(
        new Dictionary<string, string?> { ["Renault:CallBudgetPerHour"] = perHour.ToString(CultureInfo.InvariantCulture) }, makers: Makers.Renault);

    [Fact]
    public async Task Reads_are_served_stale_once_their_share_is_spent_and_a_command_still_goes_at_once()
    {
        // 10 an hour: a person's reads may use 9. The car list costs 3 (the person, two car accounts), one read of this Zoe 4.
        await using var app = await StartAsync(perHour: 10);
        var url = $"/api/vehicles/{Zoe}/status?maxAge=0";
        var fresh = await app.Client.GetFromJsonAsync<JsonElement>(url, Ct);
        app.Time.Advance(TimeSpan.FromSeconds(1));
        var callsBefore = app.Simulator.Renault.CallCount("battery-status");

        var second = await app.Client.GetFromJsonAsync<JsonElement>(url, Ct);
        var command = await app.Client.PostAsync($"/api/vehicles/{Zoe}/commands/climate-start", null, Ct);

        Assert.False(fresh.GetProperty("stale").GetBoolean());
        Assert.True(second.GetProperty("stale").GetBoolean());
        Assert.Equal(callsBefore, app.Simulator.Renault.CallCount("battery-status"));
        Assert.Equal(HttpStatusCode.Accepted, command.StatusCode);
        Assert.Equal(1, app.Simulator.Renault.CallCount("hvac-start"));
    }

    [Fact]
    public async Task The_account_list_and_metrics_show_the_budget_used_left_and_deferred()
    {
        await using var app = await StartAsync(perHour: 10);
        await app.Client.GetAsync($"/api/vehicles/{Zoe}/status?maxAge=0", Ct);
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await app.Client.GetAsync($"/api/vehicles/{Zoe}/status?maxAge=0", Ct);

        var accounts = await app.Client.GetFromJsonAsync<JsonElement[]>("/api/accounts", Ct);
        var metrics = await app.Client.GetStringAsync("/metrics", Ct);

        var budget = accounts!.Single(a => a.GetProperty("maker").GetString() == "Renault").GetProperty("callBudget");
        Assert.Equal(10, budget.GetProperty("perHour").GetInt32());
        Assert.Equal(7, budget.GetProperty("used").GetInt32());
        Assert.Equal(3, budget.GetProperty("left").GetInt32());
        // The first call made frees up an hour after it was made, a minute ago.
        var resetsAt = DateTimeOffset.Parse(budget.GetProperty("resetsAt").GetString()!, CultureInfo.InvariantCulture);
        Assert.Equal(app.Time.GetUtcNow() + TimeSpan.FromMinutes(59), resetsAt);
        Assert.Contains("evgateway_call_budget_used{maker=\"Renault\"} 7\n", metrics);
        Assert.Contains("evgateway_call_budget_left{maker=\"Renault\"} 3\n", metrics);
        Assert.Contains("evgateway_calls_deferred_total{maker=\"Renault\",priority=\"person\"} 1\n", metrics);
    }

    [Fact]
    public async Task A_read_with_nothing_cached_and_no_room_in_the_budget_is_a_429_with_Retry_After()
    {
        // 8 an hour, 7 for a person: the car list (3) and one read of the Megane (4) leave nothing for the Zoe.
        await using var app = await StartAsync(perHour: 8);
        await app.Client.GetAsync($"/api/vehicles/{Megane}/status", Ct);
        var callsBefore = app.Simulator.Renault.CallCounts().Values.Sum();

        var answer = await app.Client.GetAsync($"/api/vehicles/{Zoe}/status", Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, answer.StatusCode);
        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("upstream_rate_limited", problem.GetProperty("code").GetString());
        Assert.InRange(int.Parse(answer.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture), 3500, 3600);
        Assert.Equal(callsBefore, app.Simulator.Renault.CallCounts().Values.Sum());
    }

    [Fact]
    public async Task A_read_that_runs_out_of_budget_halfway_sends_nothing_more_and_answers_429()
    {
        // 9 an hour, 8 for a person: after the car list and the Megane (7), the Zoe's first read is let in (its cost is
        // not known yet) and the budget stops it after one of its four calls.
        await using var app = await StartAsync(perHour: 9);
        await app.Client.GetAsync($"/api/vehicles/{Megane}/status", Ct);
        var callsBefore = app.Simulator.Renault.KamereonCalls();

        var answer = await app.Client.GetAsync($"/api/vehicles/{Zoe}/status", Ct);

        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, answer.StatusCode);
        Assert.Equal("upstream_rate_limited", problem.GetProperty("code").GetString());
        Assert.Equal(callsBefore + 1, app.Simulator.Renault.KamereonCalls());
    }
}
