using EvGateway.Simulator.Renault;
using Microsoft.Playwright;

namespace EvGateway.Tests.Web;

/// <summary>The dashboard's call-budget line in a real headless Chromium against a gateway on a loopback port.</summary>
public class DashboardBudgetBrowserTests(Browser browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_accounts_line_shows_the_budget_and_catches_up_within_a_minute_without_an_account_event()
    {
        await using var app = await GatewayApp.StartAsync(new() { ["Renault:CallBudgetPerHour"] = "40" }, makers: Makers.Renault, overSockets: true);
        await app.Client.GetAsync("/api/vehicles", Ct);
        var page = await browser.NewPageAsync();
        await page.Clock.InstallAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, "/").ToString());
        var line = page.Locator("[data-account-state=Renault] [data-call-budget]");
        await Assertions.Expect(line).ToHaveTextAsync($"· cloud calls this hour: {await DashboardBudgetTests.UsedAsync(app)}/40");

        // A read spends calls without changing the account, so no account event redraws the line: the minute's redraw does.
        await app.Client.GetAsync($"/api/vehicles/{RenaultCloud.DemoZoePhase2Vin}/status?maxAge=0", Ct);
        await page.Clock.RunForAsync(61_000);

        await Assertions.Expect(line).ToHaveTextAsync($"· cloud calls this hour: {await DashboardBudgetTests.UsedAsync(app)}/40");
    }
}
