using EvGateway.Manufacturers.Psa.Pairing;
using EvGateway.Vehicles;

namespace EvGateway.Tests.Manufacturers.Psa.Pairing;

public sealed class InWeboClientTests
{
    private const string DalvikAgent = "Dalvik/2.1.0 (Linux; U; Android 8.0.0; Android SDK built for x86_64 Build/OSR1.180418.004)";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Activation_sends_the_vector_requests_byte_for_byte_and_stores_the_paired_soft_token()
    {
        var activation = InWeboVectors.Activation;
        var inputs = activation["inputs"]!;
        var derived = activation["derived"]!;
        await using var rig = await InWeboClientRig.StartAsync(activation.AnswerBodies(), InWeboClientRig.ActivationRandom);

        var state = await rig.Client.ActivateAsync(inputs.Text("sms_code"), inputs.Text("pin"), Ct);

        Assert.Equal(activation.QueryStrings(), rig.Server.QueryStrings);
        Assert.All(rig.Server.Requests, r => Assert.Equal(DalvikAgent, r.UserAgent.TrimEnd()));
        Assert.All(rig.Server.Requests, r => Assert.Equal("keep-alive", r.Connection, ignoreCase: true));
        Assert.Equal(derived.Text("serial"), state.Serial);
        Assert.Equal(derived.Text("iwid"), state.ToolId);
        Assert.Equal(derived.Text("Tsync"), state.LastSync);
        Assert.Equal(derived.Text("K0_hex"), state.K0);
        Assert.Equal(derived.Text("K1_hex_after_activation"), state.K1);
        Assert.Equal(derived.Text("s_id"), state.SecretId);
        Assert.Equal(derived.Text("iwsecval_hex"), state.SecretValue);
        Assert.Equal(derived.Text("Kfact_modulus_hex"), state.Kfact);
        Assert.Equal(derived.Text("Kiw_decoded_modulus_hex"), state.Kiw);
        Assert.True(state.Synchro);
        Assert.Equal(state, (await rig.Store.LoadAsync(Ct))! with { OtpTimes = state.OtpTimes });
        Assert.DoesNotContain(rig.Log.Lines, l => l.Contains(inputs.Text("pin"), StringComparison.Ordinal)
                                                   || l.Contains(inputs.Text("sms_code"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Three_otps_in_a_row_follow_the_transcripts_including_the_repeat_asked_for_with_J()
    {
        var otps = InWeboVectors.Otps.Items("otps").ToList();
        await using var rig = await InWeboClientRig.StartAsync(otps.SelectMany(o => o.AnswerBodies()));
        await rig.Store.SaveAsync(InWeboClientRig.StateBefore(otps[0]), Ct);

        var passwords = new List<string>();
        var k1s = new List<string>();
        foreach (var _ in otps)
        {
            passwords.Add(await rig.Client.GetOtpAsync(Ct));
            k1s.Add((await rig.Store.LoadAsync(Ct))!.K1);
        }

        Assert.Equal(otps.SelectMany(o => o.QueryStrings()), rig.Server.QueryStrings);
        Assert.Equal(otps.Select(o => o.Text("otp")), passwords);
        Assert.Equal(otps.Select(o => o.Text("K1_after")), k1s);
        Assert.Equal(["4lyt0qrb", "qg7rc8gd", "z2qiko4"], passwords);
    }

    [Fact]
    public async Task An_imported_otp_bin_makes_the_same_fourth_otp_psa_car_controller_made()
    {
        var next = InWeboVectors.NextFromOtpBin;
        await using var rig = await InWeboClientRig.StartAsync(next.AnswerBodies());
        await rig.Store.SaveAsync(PsaccOtpImport.Import(InWeboVectors.Bytes("otp.bin")), Ct);

        var otp = await rig.Client.GetOtpAsync(Ct);

        Assert.Equal(next.QueryStrings(), rig.Server.QueryStrings);
        Assert.Equal("n6ms114", otp);
        Assert.Equal(next.Text("otp"), otp);
        Assert.Equal(next.Text("K1_after"), (await rig.Store.LoadAsync(Ct))!.K1);
    }

    [Fact]
    public async Task A_second_request_to_repeat_is_a_failure_and_the_k1_the_server_moved_on_is_kept()
    {
        var first = InWeboVectors.Otps.Items("otps").First();
        var answers = first.AnswerBodies().Take(2).ToList();
        await using var rig = await InWeboClientRig.StartAsync([.. answers, .. answers]);
        var before = InWeboClientRig.StateBefore(first);
        await rig.Store.SaveAsync(before, Ct);

        var refused = await Assert.ThrowsAsync<PsaPairingException>(() => rig.Client.GetOtpAsync(Ct));

        Assert.Equal(PsaPairingFailure.ServerFailed, refused.Failure);
        Assert.Equal(4, rig.Server.Requests.Count);
        var dK1 = first.Items("rounds").First().Text("dK1");
        Assert.Equal(InWeboCrypto.RotateK1(InWeboCrypto.RotateK1(before.K1, dK1), dK1), (await rig.Store.LoadAsync(Ct))!.K1);
    }

    [Fact]
    public async Task The_seventh_otp_within_24_hours_is_refused_in_words_before_any_request()
    {
        var third = InWeboVectors.Otps.Items("otps").Last();
        await using var rig = await InWeboClientRig.StartAsync(third.AnswerBodies());
        var start = rig.Time.GetUtcNow();
        var taken = Enumerable.Range(0, OtpState.DailyOtpLimit).Select(i => start - TimeSpan.FromHours(20) + TimeSpan.FromHours(i)).ToList();
        await rig.Store.SaveAsync(InWeboClientRig.StateBefore(third) with { OtpTimes = taken }, Ct);

        var refused = await Assert.ThrowsAsync<PsaPairingException>(() => rig.Client.GetOtpAsync(Ct));

        Assert.Empty(rig.Server.Requests);
        Assert.Equal(PsaPairingFailure.DailyOtpLimit, refused.Failure);
        Assert.Equal(PsaPairingException.OtpLimitCode, refused.Code);
        Assert.Equal(TimeSpan.FromHours(4), refused.RetryAfter);
        Assert.Equal("6 one-time passwords were already taken in the last 24 hours, the most PSA allows. "
                     + "The next one can be taken after 2026-01-01 04:00 UTC.", refused.Message);

        rig.Time.Advance(TimeSpan.FromHours(4));
        Assert.Equal(third.Text("otp"), await rig.Client.GetOtpAsync(Ct));
        Assert.Equal(OtpState.DailyOtpLimit, (await rig.Store.LoadAsync(Ct))!.OtpTimes.Count);
    }

    [Fact]
    public async Task An_otp_the_server_refuses_still_counts_toward_the_six()
    {
        await using var rig = await InWeboClientRig.StartAsync([Answer("ActionSetup", "<err>NOK:FORBIDDEN</err>")]);
        await rig.Store.SaveAsync(InWeboClientRig.StateBefore(InWeboVectors.NextFromOtpBin), Ct);

        var refused = await Assert.ThrowsAsync<PsaPairingException>(() => rig.Client.GetOtpAsync(Ct));

        Assert.Equal(PsaPairingFailure.PairingRevoked, refused.Failure);
        Assert.Equal(PsaPairingException.PairingRequiredCode, refused.Code);
        var stored = (await rig.Store.LoadAsync(Ct))!;
        Assert.Equal([rig.Time.GetUtcNow()], stored.OtpTimes);
        Assert.Equal(OtpState.DailyOtpLimit - 1, stored.OtpsLeft(rig.Time.GetUtcNow()));
    }

    [Theory]
    [InlineData(0, "NOK:SN", PsaPairingFailure.SmsCodeRejected, "SMS code was not accepted")]
    [InlineData(1, "NOK:CODE", PsaPairingFailure.SmsCodeRejected, "SMS code is wrong or has expired")]
    [InlineData(1, "NOK:ACCESS", PsaPairingFailure.PinRejected, "The PIN was not accepted")]
    [InlineData(1, "NOK:MAXNBTOOLS", PsaPairingFailure.AccountLocked, "about 20 activations")]
    [InlineData(1, "NOK:FORBIDDEN", PsaPairingFailure.AccountLocked, "Reinstall the brand's app")]
    [InlineData(1, "NOK:NOK_BLOCKED", PsaPairingFailure.AccountLocked, "blocks new pairings")]
    [InlineData(2, "NOK:SOMETHINGNEW", PsaPairingFailure.Refused, "refused the request (NOK:SOMETHINGNEW)")]
    public async Task An_activation_refusal_is_explained_in_words_and_not_retried(int step, string error, PsaPairingFailure failure, string words)
    {
        var answers = InWeboVectors.Activation.AnswerBodies().Take(step)
            .Append(Answer(step == 0 ? "ActionSetup" : "ActionFinalize", $"<err>{error}</err><newversion/><newversionurl/>"));
        await using var rig = await InWeboClientRig.StartAsync(answers, InWeboClientRig.ActivationRandom);

        var refused = await Assert.ThrowsAsync<PsaPairingException>(() => rig.Client.ActivateAsync("40917362", "8531", Ct));

        Assert.Equal(failure, refused.Failure);
        Assert.Equal(error, refused.ServerError);
        Assert.Contains(words, refused.Message, StringComparison.Ordinal);
        Assert.Contains(error, refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("8531", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("40917362", refused.Message, StringComparison.Ordinal);
        Assert.Equal(step + 1, rig.Server.Requests.Count);
        Assert.Null(await rig.Store.LoadAsync(Ct));
    }

    [Theory]
    [InlineData("<ActionSetup><err>OK</err></ActionSetup>")]
    [InlineData("<?xml version=\"1.0\"?><ActionFinalize><err>OK</err></ActionFinalize>")]
    [InlineData("<?xml version=\"1.0\"?><html><body>502 Bad Gateway</body></html>")]
    [InlineData("<?xml version=\"1.0\"?><ActionSetup><err>OK</err>")]
    public async Task An_answer_that_is_not_the_expected_xml_is_a_server_failure(string body)
    {
        await using var rig = await InWeboClientRig.StartAsync([body], InWeboClientRig.ActivationRandom);

        var refused = await Assert.ThrowsAsync<PsaPairingException>(() => rig.Client.ActivateAsync("40917362", "8531", Ct));

        Assert.Equal(PsaPairingFailure.ServerFailed, refused.Failure);
        Assert.Equal("The inWebo server failed: its answer was not the expected XML.", refused.Message);
    }

    [Fact]
    public async Task An_otp_without_a_pairing_asks_to_pair()
    {
        await using var rig = await InWeboClientRig.StartAsync([]);

        var refused = await Assert.ThrowsAsync<PsaPairingException>(() => rig.Client.GetOtpAsync(Ct));

        Assert.Equal(PsaPairingFailure.NotPaired, refused.Failure);
        Assert.Equal(409, refused.StatusCode);
        Assert.Empty(rig.Server.Requests);
    }

    [Theory]
    [InlineData("40917362", "853")]
    [InlineData("40917362", "85a1")]
    [InlineData(" ", "8531")]
    public async Task A_pin_that_is_not_four_digits_or_an_empty_code_is_refused_before_any_request(string smsCode, string pin)
    {
        await using var rig = await InWeboClientRig.StartAsync([]);

        var refused = await Assert.ThrowsAsync<GatewayException>(() => rig.Client.ActivateAsync(smsCode, pin, Ct));

        Assert.Equal(ErrorCodes.ValidationFailed, refused.Code);
        Assert.Empty(rig.Server.Requests);
    }

    private static string Answer(string root, string fields) => $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{root}>{fields}</{root}>";
}
