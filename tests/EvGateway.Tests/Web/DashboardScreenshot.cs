using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.Simulator.Renault;
using EvGateway.Tests.Accounts;
using Microsoft.Playwright;

namespace EvGateway.Tests.Web;

/// <summary>
/// Takes the README's pictures of the dashboard in demo mode (docs/dashboard.png at desktop width, docs/dashboard-phone.png
/// at phone width). Explicit: the suite skips it; run it with
/// <c>dotnet test --filter "FullyQualifiedName~DashboardScreenshot" -- xUnit.Explicit=only</c> after changing the page.
/// </summary>
public class DashboardScreenshot(Browser browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Explicit = true)]
    public async Task The_readme_pictures_show_the_demo_cars_with_their_status_and_a_planned_smart_charge()
    {
        await using var app = await GatewayApp.StartAsync(RenaultAccountApiTests.FreshGateway, overSockets: true);
        var vins = (await app.Client.GetFromJsonAsync<JsonElement>("/api/vehicles", Ct)).EnumerateArray()
            .Select(v => v.GetProperty("vin").GetString()!).ToList();
        foreach (var vin in vins)
        {
            await app.Client.GetAsync($"/api/vehicles/{vin}/status", Ct);
        }

        var plan = await app.Client.PostAsJsonAsync($"/api/vehicles/{RenaultCloud.DemoZoePhase1Vin}/smart-charge",
            new { targetPercent = 80, readyBy = DateTimeOffset.UtcNow.AddHours(14).ToString("O") }, Ct);
        Assert.Equal(HttpStatusCode.OK, plan.StatusCode);
        var docs = Path.Combine(RepositoryRoot(), "docs");
        Directory.CreateDirectory(docs);

        foreach (var (phone, file) in new[] { (false, "dashboard.png"), (true, "dashboard-phone.png") })
        {
            var page = await browser.NewPageAsync(phone);
            if (!phone)
            {
                await page.SetViewportSizeAsync(1400, 900);
            }

            await page.GotoAsync(new Uri(app.BaseAddress, "/").ToString());
            await Assertions.Expect(page.Locator("article.car")).ToHaveCountAsync(vins.Count);
            await page.ScreenshotAsync(new() { Path = Path.Combine(docs, file), FullPage = true });
        }
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "EvGateway.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (EvGateway.sln) is not above the test output.");
    }
}
