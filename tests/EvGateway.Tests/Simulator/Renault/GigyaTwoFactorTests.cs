using System.Net;
using System.Text.Json.Nodes;
using EvGateway.Simulator.Renault;

namespace EvGateway.Tests.Simulator.Renault;

/// <summary>The simulated Gigya second factor, spoken to like a browser would: cookies from webSdkBootstrap, then the TFA calls.</summary>
public class GigyaTwoFactorTests
{
    private const string Username = GigyaBrowser.Username;
    private const string Password = GigyaBrowser.Password;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_login_needing_a_code_answers_403101_with_a_regToken_for_an_hour_and_emails_nothing()
    {
        await using var session = await RenaultSimulatorSession.StartAsync();
        using var browser = new GigyaBrowser(session.Cloud);

        var (status, login) = await browser.CallAsync("accounts.login", ("loginID", Username), ("password", Password));

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(403101, (int)login["errorCode"]!);
        Assert.Equal("Pending Two-Factor Authentication", (string?)login["errorDetails"]);
        Assert.Equal("Account Pending TFA Verification", (string?)login["errorMessage"]);
        Assert.Equal("3600", (string?)login["sessionInfo"]!["expires_in"]);
        Assert.False(string.IsNullOrEmpty((string?)login["regToken"]));
        Assert.Null(login["sessionInfo"]!["cookieValue"]);
        Assert.Empty(session.Cloud.SentEmails());
    }

    [Fact]
    public async Task The_demo_login_needs_no_code_and_the_two_factor_demo_login_does()
    {
        await using var session = await RenaultSimulatorSession.StartAsync();
        using var browser = new GigyaBrowser(session.Cloud);

        var demo = await browser.LoginAsync(RenaultCloud.DemoUsername);
        var twoFactor = await browser.LoginAsync();

        Assert.Equal(0, (int)demo["errorCode"]!);
        Assert.Equal(403101, (int)twoFactor["errorCode"]!);
    }

    [Fact]
    public async Task The_emailed_code_completes_the_login_and_the_remembered_device_is_not_asked_again_for_30_days()
    {
        await using var session = await RenaultSimulatorSession.StartAsync();
        using var browser = new GigyaBrowser(session.Cloud);
        var regToken = await browser.PendingLoginAsync();
        await browser.BootstrapAsync();

        // The web SDK sends these as GET, spelling the key apiKey.
        var init = await browser.GetAsync("accounts.tfa.initTFA", ("apiKey", RenaultCloud.DefaultGigyaApiKey), ("regToken", regToken),
            ("provider", "gigyaEmail"), ("mode", "verify"));
        var assertion = (string)init["gigyaAssertion"]!;
        var emails = await browser.SucceedAsync("accounts.tfa.email.getEmails", ("gigyaAssertion", assertion));
        var email = emails["emails"]![0]!;
        var sent = await browser.SucceedAsync("accounts.tfa.email.sendVerificationCode", ("gigyaAssertion", assertion),
            ("emailID", (string)email["id"]!), ("lang", "fr"));
        var mail = Assert.Single(session.Cloud.SentEmails());
        var verified = await browser.SucceedAsync("accounts.tfa.email.completeVerification", ("gigyaAssertion", assertion),
            ("phvToken", (string)sent["phvToken"]!), ("code", mail.Code));
        await browser.SucceedAsync("accounts.tfa.finalizeTFA", ("gigyaAssertion", assertion),
            ("providerAssertion", (string)verified["providerAssertion"]!), ("regToken", regToken), ("tempDevice", "false"));
        var login = await browser.LoginAsync();

        Assert.Equal("t***@e***.local", (string?)email["obfuscated"]);
        Assert.Matches("^[0-9]{6}$", mail.Code);
        Assert.Equal((Username, "fr"), (mail.To, mail.Language));
        Assert.Equal(0, (int)login["errorCode"]!);
        Assert.False(string.IsNullOrEmpty(await session.JwtAsync((string)login["sessionInfo"]!["cookieValue"]!)));

        using var otherDevice = new GigyaBrowser(session.Cloud);
        var elsewhere = await otherDevice.LoginAsync();
        Assert.Equal(403101, (int)elsewhere["errorCode"]!);

        session.Time.Advance(TimeSpan.FromDays(29));
        var stillRemembered = await browser.LoginAsync();
        session.Time.Advance(TimeSpan.FromDays(1));
        var forgotten = await browser.LoginAsync();
        Assert.Equal(0, (int)stillRemembered["errorCode"]!);
        Assert.Equal(403101, (int)forgotten["errorCode"]!);
    }

    [Fact]
    public async Task A_wrong_code_is_refused_and_the_same_code_stays_usable()
    {
        await using var session = await RenaultSimulatorSession.StartAsync();
        using var browser = new GigyaBrowser(session.Cloud);
        var check = await browser.CodeSentAsync();

        var wrong = await browser.CallAsync("accounts.tfa.email.completeVerification", ("gigyaAssertion", check.Assertion),
            ("phvToken", check.PhvToken), ("code", GigyaBrowser.OtherCode(check.Code)));
        var right = await browser.CallAsync("accounts.tfa.email.completeVerification", ("gigyaAssertion", check.Assertion),
            ("phvToken", check.PhvToken), ("code", check.Code));

        Assert.Equal(HttpStatusCode.OK, wrong.Status);
        Assert.Equal(400006, (int)wrong.Body["errorCode"]!);
        Assert.Equal("Wrong verification code", (string?)wrong.Body["errorDetails"]);
        Assert.Equal(0, (int)right.Body["errorCode"]!);
        Assert.False(string.IsNullOrEmpty((string?)right.Body["providerAssertion"]));
    }

    [Fact]
    public async Task The_fifth_wrong_code_exceeds_the_maximum_tries_and_ends_the_assertion_but_not_the_regToken()
    {
        await using var session = await RenaultSimulatorSession.StartAsync();
        using var browser = new GigyaBrowser(session.Cloud);
        var check = await browser.CodeSentAsync();
        var answers = new List<JsonObject>();

        for (var i = 0; i < 5; i++)
        {
            answers.Add((await browser.CallAsync("accounts.tfa.email.completeVerification", ("gigyaAssertion", check.Assertion),
                ("phvToken", check.PhvToken), ("code", GigyaBrowser.OtherCode(check.Code)))).Body);
        }

        var late = await browser.CallAsync("accounts.tfa.email.completeVerification", ("gigyaAssertion", check.Assertion),
            ("phvToken", check.PhvToken), ("code", check.Code));
        var restart = await browser.CallAsync("accounts.tfa.initTFA", ("regToken", check.RegToken), ("provider", "gigyaEmail"), ("mode", "verify"));

        Assert.All(answers.Take(4), a => Assert.Equal("Wrong verification code", (string?)a["errorDetails"]));
        Assert.Equal("Maximum allowed tries exceeded", (string?)answers[4]["errorDetails"]);
        Assert.NotEqual(0, (int)answers[4]["errorCode"]!);
        Assert.Equal("Invalid gigyaAssertion", (string?)late.Body["errorDetails"]);
        Assert.Equal(0, (int)restart.Body["errorCode"]!);
    }

    [Fact]
    public async Task A_code_works_once_and_a_resend_replaces_the_previous_code()
    {
        await using var session = await RenaultSimulatorSession.StartAsync();
        using var browser = new GigyaBrowser(session.Cloud);
        var first = await browser.CodeSentAsync();
        var resent = await browser.SucceedAsync("accounts.tfa.email.sendVerificationCode", ("gigyaAssertion", first.Assertion),
            ("emailID", first.EmailId));
        var secondCode = session.Cloud.SentEmails()[^1].Code;
        var secondPhvToken = (string)resent["phvToken"]!;

        var replaced = await browser.CallAsync("accounts.tfa.email.completeVerification", ("gigyaAssertion", first.Assertion),
            ("phvToken", first.PhvToken), ("code", first.Code));
        var accepted = await browser.CallAsync("accounts.tfa.email.completeVerification", ("gigyaAssertion", first.Assertion),
            ("phvToken", secondPhvToken), ("code", secondCode));
        var reused = await browser.CallAsync("accounts.tfa.email.completeVerification", ("gigyaAssertion", first.Assertion),
            ("phvToken", secondPhvToken), ("code", secondCode));

        Assert.Equal(2, session.Cloud.SentEmails().Count);
        Assert.Equal("Invalid phvToken", (string?)replaced.Body["errorDetails"]);
        Assert.Equal(0, (int)accepted.Body["errorCode"]!);
        Assert.Equal("Invalid phvToken", (string?)reused.Body["errorDetails"]);
    }

    [Fact]
    public async Task An_expired_regToken_is_refused_at_every_step()
    {
        await using var session = await RenaultSimulatorSession.StartAsync();
        using var browser = new GigyaBrowser(session.Cloud);
        var check = await browser.CodeSentAsync();
        session.Time.Advance(TimeSpan.FromHours(1));

        var complete = await browser.CallAsync("accounts.tfa.email.completeVerification", ("gigyaAssertion", check.Assertion),
            ("phvToken", check.PhvToken), ("code", check.Code));
        var init = await browser.CallAsync("accounts.tfa.initTFA", ("regToken", check.RegToken), ("provider", "gigyaEmail"), ("mode", "verify"));

        Assert.Equal(403002, (int)complete.Body["errorCode"]!);
        Assert.Equal(403002, (int)init.Body["errorCode"]!);
        Assert.Equal("regToken expired", (string?)init.Body["errorDetails"]);
    }

    [Fact]
    public async Task The_check_needs_the_device_cookie_and_only_the_device_that_began_it_may_finish_it()
    {
        await using var session = await RenaultSimulatorSession.StartAsync();
        using var browser = new GigyaBrowser(session.Cloud);
        var regToken = await browser.PendingLoginAsync();
        var withoutDevice = await browser.CallAsync("accounts.tfa.initTFA", ("regToken", regToken), ("provider", "gigyaEmail"), ("mode", "verify"));
        var check = await browser.CodeSentAsync(regToken);
        var verified = await browser.SucceedAsync("accounts.tfa.email.completeVerification", ("gigyaAssertion", check.Assertion),
            ("phvToken", check.PhvToken), ("code", check.Code));
        using var otherDevice = new GigyaBrowser(session.Cloud);
        await otherDevice.BootstrapAsync();

        var finalizedElsewhere = await otherDevice.CallAsync("accounts.tfa.finalizeTFA", ("gigyaAssertion", check.Assertion),
            ("providerAssertion", (string)verified["providerAssertion"]!), ("regToken", regToken), ("tempDevice", "false"));
        var loginElsewhere = await otherDevice.LoginAsync();

        Assert.Equal("Missing or unknown gmid", (string?)withoutDevice.Body["errorDetails"]);
        Assert.Equal("Missing or unknown gmid", (string?)finalizedElsewhere.Body["errorDetails"]);
        Assert.Equal(403101, (int)loginElsewhere["errorCode"]!);
    }

    [Fact]
    public async Task A_temporary_device_is_let_in_once_and_a_finalized_regToken_cannot_be_used_again()
    {
        await using var session = await RenaultSimulatorSession.StartAsync();
        using var browser = new GigyaBrowser(session.Cloud);
        var check = await browser.CodeSentAsync();
        await browser.FinishAsync(check, tempDevice: true);

        var once = await browser.LoginAsync();
        var again = await browser.LoginAsync();
        var reused = await browser.CallAsync("accounts.tfa.initTFA", ("regToken", check.RegToken), ("provider", "gigyaEmail"), ("mode", "verify"));

        Assert.Equal(0, (int)once["errorCode"]!);
        Assert.Equal(403101, (int)again["errorCode"]!);
        Assert.Equal("Invalid regToken", (string?)reused.Body["errorDetails"]);
    }

    [Fact]
    public async Task The_control_api_forgets_remembered_devices_and_turns_the_code_requirement_on_and_off()
    {
        await using var session = await RenaultSimulatorSession.StartAsync();
        using var browser = new GigyaBrowser(session.Cloud);
        await browser.FinishAsync(await browser.CodeSentAsync(), tempDevice: false);
        var remembered = await browser.LoginAsync();

        await ControlAsync(session, "forget-remembered-devices");
        var forgotten = await browser.LoginAsync();
        await ControlAsync(session, $"two-factor-required?required=false&username={Uri.EscapeDataString(Username)}");
        var noLongerRequired = await browser.LoginAsync();
        await ControlAsync(session, "two-factor-required?required=true");
        var demoNowRequired = await browser.LoginAsync(RenaultCloud.DemoUsername);

        Assert.Equal(0, (int)remembered["errorCode"]!);
        Assert.Equal(403101, (int)forgotten["errorCode"]!);
        Assert.Equal(0, (int)noLongerRequired["errorCode"]!);
        Assert.Equal(403101, (int)demoNowRequired["errorCode"]!);
    }

    [Fact]
    public async Task The_codes_sent_are_listed_on_a_page_marked_simulated_and_over_the_control_api()
    {
        await using var session = await RenaultSimulatorSession.StartAsync();
        using var browser = new GigyaBrowser(session.Cloud);
        var check = await browser.CodeSentAsync();

        var page = await session.Http.GetStringAsync(session.Cloud.EmailsPageUrl, Ct);
        var listed = JsonNode.Parse(await session.Http.GetStringAsync(new Uri(session.Simulator.BaseAddress, "_control/renault/emails"), Ct))!;

        Assert.Contains("SIMULATED", page, StringComparison.Ordinal);
        Assert.Contains($"<code>{check.Code}</code>", page, StringComparison.Ordinal);
        Assert.Contains(Username, page, StringComparison.Ordinal);
        Assert.Equal(check.Code, (string?)listed[0]!["code"]);
    }

    private static async Task ControlAsync(RenaultSimulatorSession session, string pathAndQuery)
    {
        using var response = await session.Http.PostAsync(new Uri(session.Simulator.BaseAddress, "_control/renault/" + pathAndQuery), null, Ct);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }
}
