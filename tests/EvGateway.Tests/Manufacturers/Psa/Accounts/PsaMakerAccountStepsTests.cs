using EvGateway.Manufacturers.Psa.Accounts;
using EvGateway.Manufacturers.Psa.Pairing;
using EvGateway.Simulator.Psa;
using EvGateway.Tests.Manufacturers.Psa.Pairing;
using EvGateway.Vehicles.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace EvGateway.Tests.Manufacturers.Psa.Accounts;

/// <summary>
/// The PSA account through its port, as the setup page drives it: the steps offered at each stage, each run with what
/// the owner filled in, refusals as results naming the field.
/// </summary>
public sealed class PsaMakerAccountStepsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_steps_take_an_account_from_nothing_to_paired_offering_at_each_stage_what_comes_next()
    {
        await using var rig = await PsaAccountRig.StartAsync();
        await rig.StartGatewayAsync();
        var account = Account(rig);
        Assert.Equal([PsaMakerAccount.LoginStep, PsaMakerAccount.ImportStep], StepNames(account));

        var started = await account.RunStepAsync(PsaMakerAccount.LoginStep, new Dictionary<string, string?>
        {
            ["brand"] = "Peugeot",
            ["country"] = "FR",
            ["clientId"] = PsaCloud.DemoClientId,
            ["clientSecret"] = PsaCloud.DemoClientSecret,
        }, Ct);
        Assert.True(started.Succeeded);
        Assert.Equal([PsaMakerAccount.LoginStep, PsaMakerAccount.AuthorizeStep, PsaMakerAccount.ImportStep], StepNames(account));
        using var browser = new PsaOwnerBrowser();
        var pasted = await browser.LogInAsync(new Uri(started.Link!));
        var connected = await account.RunStepAsync(PsaMakerAccount.AuthorizeStep, new Dictionary<string, string?> { ["redirectUrl"] = pasted }, Ct);
        Assert.True(connected.Succeeded, connected.Message);
        Assert.Equal(AccountState.Connected, connected.Status.State);
        Assert.Equal([PsaMakerAccount.SmsStep, PsaMakerAccount.PairStep, PsaMakerAccount.LoginStep, PsaMakerAccount.ImportStep], StepNames(account));

        Assert.True((await account.RunStepAsync(PsaMakerAccount.SmsStep, new Dictionary<string, string?>(), Ct)).Succeeded);
        var wrongPin = await account.RunStepAsync(PsaMakerAccount.PairStep,
            new Dictionary<string, string?> { ["smsCode"] = rig.Psa.Pairing.LastSmsCode, ["pin"] = "0000" }, Ct);
        var paired = await account.RunStepAsync(PsaMakerAccount.PairStep,
            new Dictionary<string, string?> { ["smsCode"] = rig.Psa.Pairing.LastSmsCode, ["pin"] = PsaPairing.DemoPin }, Ct);

        Assert.False(wrongPin.Succeeded);
        Assert.Equal((PsaPairingException.PairingRejectedCode, "pin"), (wrongPin.Code, wrongPin.Field));
        Assert.True(paired.Succeeded, paired.Message);
        Assert.Equal(RemoteCommandsState.Paired, paired.Status.RemoteCommands);
        Assert.Equal([PsaMakerAccount.LoginStep, PsaMakerAccount.ImportStep], StepNames(account));
        Assert.True(account.Steps[0].Fields.Single(f => f.Name == "clientSecret").IsSecret);
        await PsaAccountApiTests.AssertNoSecretAsync(rig, string.Join('\n', new[] { started, connected, wrongPin, paired }.Select(r => r.Message)));
    }

    [Fact]
    public async Task The_import_step_takes_the_files_as_the_page_reads_them_and_a_broken_one_names_its_field()
    {
        await using var rig = await PsaAccountRig.StartAsync();
        await rig.StartGatewayAsync();
        var account = Account(rig);
        var config = $$"""
            {"realm":"{{PsaCloud.Realm}}","client_id":"{{PsaCloud.DemoClientId}}","client_secret":"{{PsaCloud.DemoClientSecret}}",
             "refresh_token":"{{rig.Psa.CurrentRefreshToken}}","remote_refresh_token":"{{rig.Psa.CurrentRemoteRefreshToken}}",
             "customer_id":"{{PsaCloud.DemoCustomerId}}","country_code":"FR"}
            """;

        var broken = await account.RunStepAsync(PsaMakerAccount.ImportStep, new Dictionary<string, string?> { ["config"] = config[..40] }, Ct);
        var imported = await account.RunStepAsync(PsaMakerAccount.ImportStep, new Dictionary<string, string?>
        {
            ["config"] = config,
            ["otp"] = Convert.ToBase64String(InWeboVectors.Bytes("otp.bin")),
            ["chargeConfig"] = null,
        }, Ct);

        Assert.False(broken.Succeeded);
        Assert.Equal("config", broken.Field);
        Assert.Equal("config: Not valid JSON (line 1).", broken.Message);
        Assert.True(imported.Succeeded, imported.Message);
        Assert.Contains("otp.bin: the remote-command pairing", imported.Message, StringComparison.Ordinal);
        Assert.Equal(RemoteCommandsState.Paired, imported.Status.RemoteCommands);
        await PsaAccountApiTests.AssertNoSecretAsync(rig, broken.Message + imported.Message);
    }

    private static IMakerAccount Account(PsaAccountRig rig) =>
        rig.App!.Services.GetServices<IMakerAccount>().Single(a => a.Maker == "Psa");

    private static string[] StepNames(IMakerAccount account) => [.. account.Steps.Select(s => s.Name)];
}
