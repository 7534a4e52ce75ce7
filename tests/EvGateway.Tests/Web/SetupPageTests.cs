using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.Simulator.Renault;
using EvGateway.Tests.Accounts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(Browser))]

namespace EvGateway.Tests.Web;

/// <summary>/setup in a real headless Chromium against a gateway on a loopback port and a simulated Renault cloud.</summary>
public class SetupPageTests(Browser browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_new_owner_connects_a_two_factor_renault_account_on_the_page_and_the_demo_cars_give_way_to_theirs()
    {
        await using var app = await GatewayApp.StartAsync(RenaultAccountApiTests.FreshGateway, overSockets: true);
        var page = await browser.NewPageAsync(phone: true);
        await page.GotoAsync(new Uri(app.BaseAddress, "/setup").ToString());
        await Assertions.Expect(page.GetByText("simulated demo cars")).ToBeVisibleAsync();
        var renault = page.Locator("section[data-account=renault]");
        await Assertions.Expect(renault.Locator("[data-state]")).ToHaveAttributeAsync("data-state", "login_required");

        var login = renault.Locator("form[data-step=renault-login]");
        await login.GetByLabel("E-mail address").FillAsync(RenaultCloud.DemoTwoFactorUsername);
        await login.GetByLabel("Password").FillAsync(RenaultCloud.DemoPassword);
        await login.GetByLabel("Country of the account").SelectOptionAsync("en_GB");
        await login.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Assertions.Expect(renault.Locator("[data-state]")).ToHaveAttributeAsync("data-state", "code_required");
        Assert.Empty(app.Simulator.Renault.SentEmails());

        await renault.GetByRole(AriaRole.Button, new() { Name = "E-mail me the code" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-outcome=succeeded]")).ToContainTextAsync("t***@e***.local");
        var emailed = Assert.Single(app.Simulator.Renault.SentEmails()).Code;

        var verify = renault.Locator("form[data-step=renault-verify]");
        await verify.GetByLabel("Code").FillAsync(emailed == "000000" ? "111111" : "000000");
        await verify.GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-outcome=failed]")).ToContainTextAsync("not the one Renault sent");

        await renault.Locator("form[data-step=renault-verify]").GetByLabel("Code").FillAsync(emailed);
        await renault.Locator("form[data-step=renault-verify]").GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Assertions.Expect(renault.Locator("[data-state]")).ToHaveAttributeAsync("data-state", "connected");
        await Assertions.Expect(page.GetByText("simulated demo cars")).ToHaveCountAsync(0);

        var html = await page.ContentAsync();
        Assert.DoesNotContain(emailed, html);
        Assert.DoesNotContain($"value=\"{RenaultCloud.DemoPassword}\"", html);
        var cars = (await app.Client.GetFromJsonAsync<JsonElement>("/api/vehicles", Ct)).EnumerateArray().Select(v => v.GetProperty("vin").GetString());
        Assert.Equal([RenaultCloud.DemoTwoFactorVin], cars);
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "setup-connected.png"), FullPage = true });
    }

    [Fact]
    public async Task A_refused_password_is_said_in_words_and_the_typed_password_is_not_shown_again()
    {
        await using var app = await GatewayApp.StartAsync(RenaultAccountApiTests.FreshGateway, overSockets: true);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, "/setup").ToString());

        var login = page.Locator("form[data-step=renault-login]");
        await login.GetByLabel("E-mail address").FillAsync(RenaultCloud.DemoUsername);
        await login.GetByLabel("Password").FillAsync("wrong-password-typed");
        await login.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();

        await Assertions.Expect(page.Locator("[data-state]").First).ToHaveAttributeAsync("data-state", "credentials_rejected");
        await Assertions.Expect(page.Locator("[data-outcome=failed]")).ToBeVisibleAsync();
        Assert.DoesNotContain("wrong-password-typed", await page.ContentAsync());
        Assert.Equal(RenaultCloud.DemoUsername, await page.Locator("form[data-step=renault-login] input[name=username]").InputValueAsync());
    }
}

public class SetupPageDemoTests(Browser browser)
{
    [Fact]
    public async Task In_demo_mode_the_code_step_can_be_tried_on_the_simulated_cloud_with_the_simulated_email_in_the_log()
    {
        await using var app = await GatewayApp.StartAsync(RenaultAccountApiTests.FreshGateway, overSockets: true);
        var demo = app.Services.GetRequiredService<EvGateway.Hosting.DemoClouds>().Simulator!;
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(app.BaseAddress, "/setup").ToString());
        await Assertions.Expect(page.Locator("[data-hint]")).ToContainTextAsync(RenaultCloud.DemoTwoFactorUsername);
        var section = page.Locator("section[data-account=demo-renault]");
        await Assertions.Expect(section.Locator("[data-state]")).ToHaveAttributeAsync("data-state", "connected");

        var login = section.Locator("form[data-step=demo-renault-login]");
        await login.GetByLabel("E-mail address").FillAsync(RenaultCloud.DemoTwoFactorUsername);
        await login.GetByLabel("Password").FillAsync(RenaultCloud.DemoPassword);
        await login.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Assertions.Expect(section.Locator("[data-state]")).ToHaveAttributeAsync("data-state", "code_required");
        await section.GetByRole(AriaRole.Button, new() { Name = "E-mail me the code" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-outcome=succeeded]")).ToContainTextAsync("t***@e***.local");

        var emailed = Assert.Single(demo.Renault.SentEmails()).Code;
        Assert.True(app.Log.Lines.Count > 0, "no log lines at all");
        Assert.Contains(app.Log.Lines, line => line.Contains("SIMULATED e-mail", StringComparison.Ordinal) && line.Contains(emailed, StringComparison.Ordinal));
        await section.Locator("form[data-step=demo-renault-verify]").GetByLabel("Code").FillAsync(emailed);
        await section.Locator("form[data-step=demo-renault-verify]").GetByRole(AriaRole.Button, new() { Name = "Confirm" }).ClickAsync();
        await Assertions.Expect(section.Locator("[data-state]")).ToHaveAttributeAsync("data-state", "connected");
        // Still demo mode: the owner's own Renault account is untouched and the simulated cloud's cars are served.
        await Assertions.Expect(page.Locator("section[data-account=renault] [data-state]")).ToHaveAttributeAsync("data-state", "login_required");
        await Assertions.Expect(page.GetByText("simulated demo cars")).ToBeVisibleAsync();
    }
}
