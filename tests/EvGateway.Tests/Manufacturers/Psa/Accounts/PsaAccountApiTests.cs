using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using EvGateway.Accounts;
using EvGateway.Hosting;
using EvGateway.Manufacturers.Psa;
using EvGateway.Manufacturers.Psa.Pairing;
using EvGateway.Simulator.Psa;
using Microsoft.Extensions.DependencyInjection;

namespace EvGateway.Tests.Manufacturers.Psa.Accounts;

/// <summary>
/// The PSA account routes of design.md ("Accounts and first login") on the whole gateway over sockets: the simulated
/// brand login page in the owner's browser, the simulated phone that receives the SMS code, the real MQTT broker.
/// </summary>
public sealed class PsaAccountApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_PSA_account_goes_from_nothing_to_its_cars_listed_and_a_charge_stopped_over_MQTT_through_the_API()
    {
        await using var rig = await PsaAccountRig.StartAsync();
        await rig.StartGatewayAsync();
        var before = await rig.AccountAsync();
        Assert.Equal("login_required", before.GetProperty("state").GetString());
        Assert.False(before.GetProperty("configured").GetBoolean());
        Assert.Equal("pairing_required", before.GetProperty("remoteCommands").GetString());
        Assert.DoesNotContain(PsaCloud.DemoE208Vin, await rig.Client.GetStringAsync("/api/vehicles", Ct));

        var connected = await rig.LogInAsync();
        Assert.Equal("connected", connected.GetProperty("state").GetString());
        Assert.True(connected.GetProperty("configured").GetBoolean());
        Assert.Equal("pairing_required", connected.GetProperty("remoteCommands").GetString());
        var cars = await rig.Client.GetFromJsonAsync<JsonElement>("/api/vehicles", Ct);
        var e208 = cars.EnumerateArray().Single(c => c.GetProperty("vin").GetString() == PsaCloud.DemoE208Vin);
        Assert.Contains(cars.EnumerateArray(), c => c.GetProperty("vin").GetString() == PsaCloud.DemoHybridVin);
        Assert.DoesNotContain("ChargeStop", e208.GetProperty("capabilities").ToString(), StringComparison.Ordinal);

        var (code, paired) = await rig.PairAsync();
        Assert.Equal("paired", paired.GetProperty("remoteCommands").GetString());
        Assert.Equal("connected", paired.GetProperty("state").GetString());
        var car = rig.Psa.Car(PsaCloud.DemoE208Vin);
        car.Plug(true);
        car.StartCharging();
        using var stop = await rig.CommandAsync(PsaCloud.DemoE208Vin, "charge-stop");

        Assert.Equal(HttpStatusCode.Accepted, stop.StatusCode);
        Assert.False(car.Read().Charging);
        var sent = Assert.Single(rig.Psa.Published, p => p.Service == "/VehCharge");
        Assert.Equal("delayed", sent.Envelope!.Value.GetProperty("req_parameters").GetProperty("type").GetString());
        Assert.Equal(1, rig.Psa.Pairing.Activations);
        Assert.Equal(1, rig.Psa.Pairing.OtpsIssued);
        var accounts = await rig.Client.GetStringAsync("/api/accounts", Ct);
        await AssertNoSecretAsync(rig, accounts, code);
        await AssertNoSecretAsync(rig, rig.App!.Log.All, code);
        PsaAccountRig.AssertFileIsPrivate(rig.FilePath(PsaTokenStore.FileName));
        PsaAccountRig.AssertFileIsPrivate(rig.FilePath(OtpStateStore.FileName));
        PsaAccountRig.AssertFileIsPrivate(rig.FilePath(StoredAccounts.FileName));
    }

    [Fact]
    public async Task After_a_restart_the_connected_account_serves_its_cars_and_commands_with_no_PSA_setting()
    {
        await using var rig = await PsaAccountRig.StartAsync();
        await rig.StartGatewayAsync();
        await rig.LogInAsync();
        await rig.PairAsync();

        await rig.StartGatewayAsync();
        var account = await rig.AccountAsync();
        using var horn = await rig.CommandAsync(PsaCloud.DemoE208Vin, "horn");

        Assert.True(account.GetProperty("configured").GetBoolean());
        Assert.Equal("paired", account.GetProperty("remoteCommands").GetString());
        Assert.Contains(PsaCloud.DemoE208Vin, await rig.Client.GetStringAsync("/api/vehicles", Ct));
        Assert.Equal(HttpStatusCode.Accepted, horn.StatusCode);
        Assert.Equal(1, rig.Psa.Pairing.SmsCodesSent);
        Assert.Equal("connected", (await rig.AccountAsync()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task With_no_other_maker_a_login_ends_demo_mode_at_once_and_later_starts_stay_out_of_it()
    {
        await using var rig = await PsaAccountRig.StartAsync();
        var alone = new Dictionary<string, string?>(PsaAccountRig.NoPsaAccount)
        {
            ["Gateway:Demo"] = null,
            ["Renault:Username"] = "",
        };
        await rig.StartGatewayAsync(alone);
        var demo = rig.App!.Services.GetRequiredService<DemoClouds>();
        Assert.NotNull(demo.Simulator);

        await rig.LogInAsync();
        await FakeClock.EventuallyAsync(() => demo.Simulator is null, Ct);
        await rig.StartGatewayAsync(alone);

        Assert.Null(rig.App!.Services.GetRequiredService<DemoClouds>().Simulator);
        var vins = (await rig.Client.GetFromJsonAsync<JsonElement>("/api/vehicles", Ct)).EnumerateArray()
            .Select(c => c.GetProperty("vin").GetString()!).Order().ToArray();
        Assert.Equal([PsaCloud.DemoHybridVin, PsaCloud.DemoE208Vin], vins);
    }

    [Theory]
    [InlineData("{\"brand\":\"Fiat\",\"country\":\"FR\"}", "brand")]
    [InlineData("{\"brand\":\"Peugeot\",\"country\":\"France\"}", "country")]
    [InlineData("{\"brand\":\"Peugeot\",\"country\":\"FR\",\"clientId\":\"an-id\"}", "clientSecret")]
    public async Task A_login_with_bad_input_is_a_400_naming_the_field(string body, string field)
    {
        await using var rig = await PsaAccountRig.StartAsync();
        await rig.StartGatewayAsync();

        using var answer = await rig.Client.PostAsync("/api/accounts/psa/login", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);
        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task A_refused_code_is_a_400_authorization_rejected_and_the_account_stays_unconfigured()
    {
        await using var rig = await PsaAccountRig.StartAsync();
        await rig.StartGatewayAsync();
        var (_, login) = await rig.PostAsync("/api/accounts/psa/login",
            new { brand = "peugeot", country = "fr", clientId = PsaCloud.DemoClientId, clientSecret = PsaCloud.DemoClientSecret });
        using var browser = new PsaOwnerBrowser();
        var pasted = await browser.LogInAsync(new Uri(login.GetProperty("authorizeUrl").GetString()!));
        var code = PsaOwnerBrowser.QueryOf(pasted)["code"].ToString();
        // The code lives a minute: pasted too late, the identity server refuses it.
        rig.Time.Advance(PsaCloud.AuthorizationCodeLifetime + TimeSpan.FromSeconds(1));

        var (refused, problem) = await rig.PostAsync("/api/accounts/psa/authorize", new { code });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("authorization_rejected", problem.GetProperty("code").GetString());
        Assert.DoesNotContain(code, problem.ToString(), StringComparison.Ordinal);
        Assert.False((await rig.AccountAsync()).GetProperty("configured").GetBoolean());
    }

    [Fact]
    public async Task Authorize_without_a_started_login_is_a_409_and_without_any_address_a_400_naming_the_field()
    {
        await using var rig = await PsaAccountRig.StartAsync();
        await rig.StartGatewayAsync();

        var (notStarted, problem) = await rig.PostAsync("/api/accounts/psa/authorize", new { code = Guid.NewGuid().ToString() });
        var (empty, validation) = await rig.PostAsync("/api/accounts/psa/authorize", new { });

        Assert.Equal(HttpStatusCode.Conflict, notStarted.StatusCode);
        Assert.Equal("login_not_started", problem.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.True(validation.GetProperty("errors").TryGetProperty("redirectUrl", out _));
    }

    [Fact]
    public async Task Pairing_before_any_login_is_refused_with_409_and_no_text_message_is_sent()
    {
        await using var rig = await PsaAccountRig.StartAsync();
        await rig.StartGatewayAsync();

        var (sms, problem) = await rig.PostAsync("/api/accounts/psa/pairing/sms");
        var (pairing, _) = await rig.PostAsync("/api/accounts/psa/pairing", new { smsCode = "12345678", pin = PsaPairing.DemoPin });

        Assert.Equal(HttpStatusCode.Conflict, sms.StatusCode);
        Assert.Equal("login_required", problem.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Conflict, pairing.StatusCode);
        Assert.Equal(0, rig.Psa.Pairing.SmsCodesSent);
        Assert.Equal(0, rig.Psa.Pairing.InWeboRequests);
    }

    [Fact]
    public async Task A_wrong_PIN_is_a_400_pairing_rejected_in_words_and_remote_commands_stay_unpaired()
    {
        await using var rig = await PsaAccountRig.StartAsync();
        await rig.StartGatewayAsync();
        await rig.LogInAsync();
        await rig.PostAsync("/api/accounts/psa/pairing/sms");
        var code = rig.Psa.Pairing.LastSmsCode!;

        var (refused, problem) = await rig.PostAsync("/api/accounts/psa/pairing", new { smsCode = code, pin = "0000" });
        var (badPin, validation) = await rig.PostAsync("/api/accounts/psa/pairing", new { smsCode = code, pin = "12a4" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("pairing_rejected", problem.GetProperty("code").GetString());
        Assert.StartsWith("The PIN was not accepted.", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badPin.StatusCode);
        Assert.True(validation.GetProperty("errors").TryGetProperty("pin", out _));
        Assert.Equal("pairing_required", (await rig.AccountAsync()).GetProperty("remoteCommands").GetString());
        Assert.DoesNotContain(code, problem.ToString(), StringComparison.Ordinal);
        Assert.False(rig.Psa.Pairing.IsPaired);
    }

    /// <summary>Short secrets (a PIN) are matched as whole words, so a port or a hex id that happens to contain them does not count.</summary>
    internal static async Task AssertNoSecretAsync(PsaAccountRig rig, string text, params string[] more)
    {
        foreach (var secret in await rig.SecretsAsync(more))
        {
            Assert.False(Regex.IsMatch(text, $"(?<![A-Za-z0-9]){Regex.Escape(secret)}(?![A-Za-z0-9])"),
                $"a secret of {secret.Length} characters shows in: {text[..Math.Min(text.Length, 200)]}...");
        }
    }
}
