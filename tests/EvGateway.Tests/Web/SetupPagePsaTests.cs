using System.Net;
using EvGateway.Simulator.Psa;
using EvGateway.Tests.Manufacturers.Psa;
using EvGateway.Tests.Manufacturers.Psa.Accounts;
using Microsoft.Playwright;

namespace EvGateway.Tests.Web;

/// <summary>
/// A PSA owner on /setup in a real headless Chromium: the brand's (simulated) login page in the same browser, the
/// address it ends on pasted back, the SMS code and the PIN, then a charge stopped over MQTT.
/// </summary>
public class SetupPagePsaTests(Browser browser)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_PSA_owner_goes_from_nothing_to_paired_on_the_page_and_a_charge_is_stopped_over_MQTT()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var app = GatewayApp.Start(bed, PsaAccountRig.NoPsaAccount, Makers.Psa, overSockets: true);
        var page = await browser.NewPageAsync(phone: true);
        await page.GotoAsync(new Uri(app.BaseAddress, "/setup").ToString());
        var psa = page.Locator("section[data-account=psa]");
        await Assertions.Expect(psa.Locator("[data-state]")).ToHaveAttributeAsync("data-state", "login_required");

        var login = psa.Locator("form[data-step=psa-login]");
        await login.GetByLabel("Brand").SelectOptionAsync("Peugeot");
        await login.GetByLabel("Country of the account").FillAsync("FR");
        await login.GetByLabel("The app's client id").FillAsync(PsaCloud.DemoClientId);
        await login.GetByLabel("The app's client secret").FillAsync(PsaCloud.DemoClientSecret);
        await login.GetByRole(AriaRole.Button, new() { Name = "Open the login page" }).ClickAsync();
        var link = page.Locator("[data-step-link]");
        await Assertions.Expect(link).ToBeVisibleAsync();

        // The owner logs in on the brand's page; it ends on the app's address, which a browser cannot open: the owner
        // copies it (here: read off the page's answer, as the developer tools show it).
        var brandPage = await page.Context.NewPageAsync();
        await brandPage.GotoAsync((await link.GetAttributeAsync("href"))!);
        await brandPage.GetByLabel("E-mail").FillAsync(PsaCloud.DemoOwnerEmail);
        await brandPage.GetByLabel("Password").FillAsync(PsaCloud.DemoOwnerPassword);
        var answer = await brandPage.RunAndWaitForResponseAsync(
            () => brandPage.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync(),
            response => response.Request.Method == "POST");
        Assert.Equal((int)HttpStatusCode.Redirect, answer.Status);
        var appAddress = (await answer.AllHeadersAsync())["location"];
        Assert.StartsWith("mymap://", appAddress);
        await brandPage.CloseAsync();

        var authorize = psa.Locator("form[data-step=psa-authorize]");
        await authorize.GetByLabel("Address (or the code alone)").FillAsync(appAddress);
        await authorize.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();
        await Assertions.Expect(psa.Locator("[data-state]")).ToHaveAttributeAsync("data-state", "connected");

        await psa.GetByRole(AriaRole.Button, new() { Name = "Text me the code" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-outcome=succeeded]")).ToBeVisibleAsync();
        var smsCode = bed.Psa.Pairing.LastSmsCode!;
        var pair = psa.Locator("form[data-step=psa-pair]");
        await pair.GetByLabel("Code from the SMS").FillAsync(smsCode);
        await pair.GetByLabel("The app's PIN").FillAsync(PsaPairing.DemoPin);
        await pair.GetByRole(AriaRole.Button, new() { Name = "Pair" }).ClickAsync();
        await Assertions.Expect(psa).ToContainTextAsync("remote commands paired");

        var car = bed.Psa.Car(PsaCloud.DemoE208Vin);
        car.Plug(true);
        car.StartCharging();
        using var stop = await app.Client.PostAsync($"/api/vehicles/{PsaCloud.DemoE208Vin}/commands/charge-stop", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, stop.StatusCode);
        Assert.False(car.Read().Charging);
        Assert.Contains(bed.Psa.Published, p => p.Service == "/VehCharge");

        var html = await page.ContentAsync();
        foreach (var secret in new[] { smsCode, PsaPairing.DemoPin, PsaCloud.DemoClientSecret, appAddress })
        {
            Assert.DoesNotContain(secret, html);
        }

        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "setup-psa-paired.png"), FullPage = true });
    }
}
