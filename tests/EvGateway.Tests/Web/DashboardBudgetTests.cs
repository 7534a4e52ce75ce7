using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.Simulator.Renault;
using EvGateway.Vehicles.Budget;
using EvGateway.Web;

namespace EvGateway.Tests.Web;

/// <summary>The dashboard's call-budget figures and each car's next refresh, against the Renault adapter and the simulated cloud.</summary>
public class DashboardBudgetTests
{
    private const string Zoe = RenaultCloud.DemoZoePhase2Vin;
    private const string Megane = RenaultCloud.DemoMeganeVin;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<GatewayApp> StartAsync() => GatewayApp.StartAsync(new Dictionary<string, string?>
    {
        ["Renault:CallBudgetPerHour"] = "10",
        ["Gateway:RefreshPolicy"] = "connected",
        [$"Gateway:Cars:{Megane}:RefreshPolicy"] = "never",
    }, makers: Makers.Renault);

    [Fact]
    public async Task The_accounts_line_shows_the_call_budget_the_account_list_gives_after_some_reads()
    {
        await using var app = await StartAsync();
        await app.Client.GetAsync($"/api/vehicles/{Zoe}/status?maxAge=0", Ct);
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await app.Client.GetAsync($"/api/vehicles/{Megane}/status?maxAge=0", Ct);

        var budget = (await app.Client.GetFromJsonAsync<JsonElement[]>("/api/accounts", Ct))!
            .Single(a => a.GetProperty("maker").GetString() == "Renault").GetProperty("callBudget");
        var page = await DashboardHtml.GetAsync(app.Client);
        var line = await app.Client.GetStringAsync("/?handler=Accounts", Ct);

        var used = budget.GetProperty("used").GetInt32();
        Assert.InRange(used, 5, 10);
        Assert.Equal(10, budget.GetProperty("perHour").GetInt32());
        Assert.Contains($"cloud calls this hour: {used}/10", page.Html);
        Assert.Contains($"cloud calls this hour: {used}/10", line);
    }

    [Fact]
    public async Task A_car_card_shows_its_refresh_policy_and_when_it_is_next_refreshed()
    {
        await using var app = await StartAsync();
        await app.Client.GetAsync($"/api/vehicles/{Zoe}/status", Ct);
        app.Time.Advance(TimeSpan.FromMinutes(2));

        var zoe = await app.Client.GetFromJsonAsync<JsonElement>($"/api/vehicles/{Zoe}", Ct);
        var page = await DashboardHtml.GetAsync(app.Client);
        var card = await app.Client.GetStringAsync($"/?handler=Card&vin={Zoe}", Ct);

        // The Zoe is charging: read every 5 minutes under "connected", and it was read 2 minutes ago.
        Assert.Equal("connected", zoe.GetProperty("refreshPolicy").GetString());
        Assert.Equal(app.Time.GetUtcNow() + TimeSpan.FromMinutes(3), zoe.GetProperty("nextRefreshAt").GetDateTimeOffset());
        Assert.Contains("Refresh policy connected · next refresh in 3 min", page.Car(Zoe));
        Assert.Contains("Refresh policy connected · next refresh in 3 min", card);
        Assert.Contains("Refresh policy never · no automatic refresh", page.Car(Megane));
    }

    [Fact]
    public async Task Rendering_the_budget_and_the_next_refreshes_makes_no_cloud_call()
    {
        await using var app = await StartAsync();
        await app.Client.GetAsync($"/api/vehicles/{Zoe}/status", Ct);
        var before = await UsedAsync(app);
        app.Simulator.Renault.ResetCounters();

        for (var i = 0; i < 3; i++)
        {
            app.Time.Advance(TimeSpan.FromSeconds(30));
            Assert.Contains("cloud calls this hour:", (await DashboardHtml.GetAsync(app.Client)).Html);
            Assert.Contains("cloud calls this hour:", await app.Client.GetStringAsync("/?handler=Accounts", Ct));
            Assert.Contains("next refresh in", await app.Client.GetStringAsync($"/?handler=Card&vin={Zoe}", Ct));
        }

        Assert.Empty(app.Simulator.Renault.CallCounts());
        Assert.Equal(before, await UsedAsync(app));
    }

    [Fact]
    public void When_little_of_the_budget_is_left_the_line_says_when_a_call_frees_up()
    {
        var now = DateTimeOffset.UnixEpoch;

        Assert.Equal("cloud calls this hour: 9/10 (one frees up in 12 min)", BudgetWords.Calls(new CallBudgetView(10, 9, 1, now.AddMinutes(11.5)), now));
        Assert.Equal("cloud calls this hour: 8/10", BudgetWords.Calls(new CallBudgetView(10, 8, 2, now.AddMinutes(11.5)), now));
        Assert.Equal("next refresh now", BudgetWords.Refresh(now.AddSeconds(-1), now));
    }

    /// <summary>The Renault calls counted in the last hour, as <c>GET /api/accounts</c> gives them.</summary>
    internal static async Task<int> UsedAsync(GatewayApp app) => (await app.Client.GetFromJsonAsync<JsonElement[]>("/api/accounts", Ct))!
        .Single(a => a.GetProperty("maker").GetString() == "Renault").GetProperty("callBudget").GetProperty("used").GetInt32();
}
