using System.Net;
using EvGateway.Simulator.Renault;
using static EvGateway.Tests.TestSupport.RenaultSimulatorSession;

namespace EvGateway.Tests.Simulator.Renault;

public class RenaultCloudTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_login_chain_yields_a_jwt_that_opens_kamereon_until_it_expires()
    {
        await using var session = await StartAsync(jwtLifetime: TimeSpan.FromMinutes(15));
        var loginToken = await session.LoginTokenAsync();

        var info = await session.GigyaAsync("accounts.getAccountInfo", ("ApiKey", RenaultCloud.DefaultGigyaApiKey), ("login_token", loginToken));
        var personId = (string)info["data"]!["personId"]!;
        Assert.Equal(RenaultCloud.DemoPersonId, personId);
        Assert.False(string.IsNullOrEmpty((string?)info["data"]!["gigyaDataCenter"]));

        var jwt = await session.JwtAsync(loginToken);
        Assert.Equal(3, jwt.Split('.').Length);

        using var person = await session.KamereonGetAsync($"/commerce/v1/persons/{personId}", jwt);
        Assert.Equal(HttpStatusCode.OK, person.StatusCode);
        var accountTypes = (await BodyAsync(person))["accounts"]!.AsArray().Select(a => (string)a!["accountType"]!).ToList();
        Assert.Equal(["MYRENAULT", "MYDACIA", "SFDC"], accountTypes);

        session.Time.Advance(TimeSpan.FromMinutes(14));
        using var stillValid = await session.KamereonGetAsync(CarPath(RenaultCloud.DemoZoePhase2Vin, "v2", "battery-status"), jwt);
        Assert.Equal(HttpStatusCode.OK, stillValid.StatusCode);

        session.Time.Advance(TimeSpan.FromMinutes(1));
        using var expired = await session.KamereonGetAsync(CarPath(RenaultCloud.DemoZoePhase2Vin, "v2", "battery-status"), jwt);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Fact]
    public async Task The_vehicles_of_an_account_carry_vin_brand_and_model_code()
    {
        await using var session = await StartAsync();
        var jwt = await session.LoggedInJwtAsync();

        using var renault = await session.KamereonGetAsync($"/commerce/v1/accounts/{RenaultCloud.DemoRenaultAccountId}/vehicles", jwt);
        var links = (await BodyAsync(renault))["vehicleLinks"]!.AsArray();
        Assert.Equal(
            [(RenaultCloud.DemoZoePhase2Vin, "X102VE"), (RenaultCloud.DemoMeganeVin, "XCB1VE"), (RenaultCloud.DemoZoePhase1Vin, "X101VE"),
             (RenaultCloud.DemoRenault5Vin, "R5E1VE")],
            links.Select(l => ((string)l!["vin"]!, (string)l["vehicleDetails"]!["model"]!["code"]!)).OrderBy(v => v.Item1[^1]));

        using var dacia = await session.KamereonGetAsync($"/commerce/v1/accounts/{RenaultCloud.DemoDaciaAccountId}/vehicles", jwt);
        var spring = (await BodyAsync(dacia))["vehicleLinks"]!.AsArray().Single()!;
        Assert.Equal("DACIA", (string)spring["brand"]!);
        Assert.Equal("SPRING", (string)spring["vehicleDetails"]!["model"]!["label"]!);

        Assert.All(new[] { RenaultCloud.DemoZoePhase2Vin, RenaultCloud.DemoMeganeVin, RenaultCloud.DemoZoePhase1Vin, RenaultCloud.DemoSpringVin },
            vin => Assert.Matches("^[A-HJ-NPR-Z0-9]{17}$", vin));
    }

    [Fact]
    public async Task Battery_status_reports_the_simulated_car()
    {
        await using var session = await StartAsync();
        var jwt = await session.LoggedInJwtAsync();

        var battery = await session.AttributesAsync(CarPath(RenaultCloud.DemoZoePhase2Vin, "v2", "battery-status"), jwt);

        var car = session.Cloud.Car(RenaultCloud.DemoZoePhase2Vin).Read();
        Assert.Equal((int)Math.Round(car.Level), (int)battery["batteryLevel"]!);
        Assert.Equal(1, (int)battery["plugStatus"]!);
        Assert.Equal(1.0, (double)battery["chargingStatus"]!);
        Assert.Equal(7.4, (double)battery["chargingInstantaneousPower"]!);
        Assert.Equal(car.RemainingMinutes, (int)battery["chargingRemainingTime"]!);
    }

    [Fact]
    public async Task A_wrong_password_answers_403042_with_http_200()
    {
        await using var session = await StartAsync();

        var answer = await session.GigyaAsync("accounts.login",
            ("ApiKey", RenaultCloud.DefaultGigyaApiKey), ("loginID", RenaultCloud.DemoUsername), ("password", "not-the-password"));

        Assert.Equal(403042, (int)answer["errorCode"]!);
        Assert.Null(answer["sessionInfo"]);
        Assert.DoesNotContain("not-the-password", answer.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_gigya_api_key_answers_400093_and_a_wrong_kamereon_key_is_access_denied()
    {
        await using var session = await StartAsync();

        var login = await session.GigyaAsync("accounts.login",
            ("ApiKey", "3_rotated"), ("loginID", RenaultCloud.DemoUsername), ("password", RenaultCloud.DemoPassword));
        Assert.Equal(400093, (int)login["errorCode"]!);

        var jwt = await session.LoggedInJwtAsync();
        using var denied = await session.KamereonGetAsync(CarPath(RenaultCloud.DemoZoePhase2Vin, "v2", "battery-status"), jwt, apiKey: "rotated");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal("access_denied", (string)(await BodyAsync(denied))["error"]!);
    }

    [Fact]
    public async Task Kamereon_rejects_a_forged_jwt_and_a_call_without_country()
    {
        await using var session = await StartAsync();
        var jwt = await session.LoggedInJwtAsync();
        var parts = jwt.Split('.');
        var forged = parts[0] + "." + parts[1] + "." + new string('A', parts[2].Length);

        using var forgedAnswer = await session.KamereonGetAsync(CarPath(RenaultCloud.DemoZoePhase2Vin, "v2", "battery-status"), forged);
        using var missingAnswer = await session.KamereonGetAsync(CarPath(RenaultCloud.DemoZoePhase2Vin, "v2", "battery-status"), jwt: null);
        using var noCountry = await session.KamereonGetAsync(CarPath(RenaultCloud.DemoZoePhase2Vin, "v2", "battery-status"), jwt, query: "");

        Assert.Equal(HttpStatusCode.Unauthorized, forgedAnswer.StatusCode);
        Assert.Equal("err.func.wired.unauthorized", await ErrorCodeAsync(forgedAnswer));
        Assert.Equal(HttpStatusCode.Unauthorized, missingAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, noCountry.StatusCode);
        Assert.Equal("err.func.400", await ErrorCodeAsync(noCountry));
    }

    [Fact]
    public async Task The_hourly_quota_answers_429_after_the_allowed_calls_and_recovers_an_hour_later()
    {
        await using var session = await StartAsync(callsPerHour: 5);
        var jwt = await session.LoggedInJwtAsync();
        var path = CarPath(RenaultCloud.DemoZoePhase2Vin, "v2", "battery-status");

        for (var i = 0; i < 5; i++)
        {
            using var allowed = await session.KamereonGetAsync(path, jwt);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var limited = await session.KamereonGetAsync(path, jwt);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("err.func.wired.overloaded", await ErrorCodeAsync(limited));

        session.Time.Advance(TimeSpan.FromHours(1));
        var freshJwt = await session.LoggedInJwtAsync();
        using var recovered = await session.KamereonGetAsync(path, freshJwt);
        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
    }

    [Fact]
    public async Task A_command_the_model_lacks_is_forbidden_counted_and_leaves_the_car_unchanged()
    {
        await using var session = await StartAsync();
        var jwt = await session.LoggedInJwtAsync();

        using var stop = await session.KamereonPostAsync(CarPath(RenaultCloud.DemoZoePhase2Vin, "v1", "actions/charging-start"), jwt,
            Action("ChargingStart", new { action = "stop" }));

        Assert.Equal(HttpStatusCode.Forbidden, stop.StatusCode);
        Assert.Equal("err.func.wired.forbidden", await ErrorCodeAsync(stop));
        Assert.Equal(1, session.Cloud.CallCount("charging-start"));
        Assert.True(session.Cloud.Car(RenaultCloud.DemoZoePhase2Vin).Read().Charging);
    }

    [Fact]
    public async Task A_read_the_model_lacks_answers_the_recorded_error_for_that_model()
    {
        await using var session = await StartAsync();
        var jwt = await session.LoggedInJwtAsync();

        using var zoe1Location = await session.KamereonGetAsync(CarPath(RenaultCloud.DemoZoePhase1Vin, "v1", "location"), jwt);
        using var springChargeMode = await session.KamereonGetAsync(
            CarPath(RenaultCloud.DemoSpringVin, "v1", "charge-mode", RenaultCloud.DemoDaciaAccountId), jwt);

        Assert.Equal(HttpStatusCode.NotImplemented, zoe1Location.StatusCode);
        Assert.Equal("err.tech.501", await ErrorCodeAsync(zoe1Location));
        Assert.Equal(HttpStatusCode.NotFound, springChargeMode.StatusCode);
        Assert.Equal("err.func.wired.notFound", await ErrorCodeAsync(springChargeMode));
        Assert.Equal(1, session.Cloud.CallCount("location"));
        Assert.Equal(1, session.Cloud.CallCount("charge-mode"));
    }

    [Fact]
    public async Task An_unknown_model_code_gets_the_generic_endpoints_and_not_found_for_the_rest()
    {
        await using var session = await StartAsync();
        var account = session.Cloud.AddAccount("MYRENAULT");
        session.Cloud.AddVehicle(account.AccountId, "VF1ZZZ00012345678", "ZZZ9VE", RenaultCarSpecs.ZoeZe50);
        var jwt = await session.LoggedInJwtAsync();

        using var battery = await session.KamereonGetAsync(CarPath("VF1ZZZ00012345678", "v2", "battery-status", account.AccountId), jwt);
        using var lockStatus = await session.KamereonGetAsync(CarPath("VF1ZZZ00012345678", "v1", "lock-status", account.AccountId), jwt);

        Assert.Equal(HttpStatusCode.OK, battery.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, lockStatus.StatusCode);
    }

    [Fact]
    public async Task A_charge_start_makes_the_car_charge_and_its_level_rise_as_time_passes()
    {
        await using var session = await StartAsync();
        var jwt = await session.LoggedInJwtAsync();
        var before = session.Cloud.Car(RenaultCloud.DemoZoePhase1Vin).Read();
        Assert.False(before.Charging);

        using var start = await session.KamereonPostAsync(CarPath(RenaultCloud.DemoZoePhase1Vin, "v1", "actions/charging-start"), jwt,
            Action("ChargingStart", new { action = "start" }));
        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        var echo = (await BodyAsync(start))["data"]!;
        Assert.Equal("ChargingStart", (string)echo["type"]!);
        Assert.True(Guid.TryParse((string)echo["id"]!, out _));

        session.Time.Advance(TimeSpan.FromHours(1));

        var after = session.Cloud.Car(RenaultCloud.DemoZoePhase1Vin).Read();
        Assert.True(after.Charging);
        Assert.Equal(before.Level + 7.4 / 41 * 100, after.Level, precision: 0);
        var battery = await session.AttributesAsync(CarPath(RenaultCloud.DemoZoePhase1Vin, "v2", "battery-status"), await session.LoggedInJwtAsync());
        Assert.Equal(7400, (double)battery["chargingInstantaneousPower"]!);
    }

    [Fact]
    public async Task The_spring_starts_and_stops_through_kcm_pause_resume()
    {
        await using var session = await StartAsync();
        var jwt = await session.LoggedInJwtAsync();
        var spring = session.Cloud.Car(RenaultCloud.DemoSpringVin);
        spring.Plug(true);
        var path = KcmPath(RenaultCloud.DemoSpringVin, "charge/pause-resume", RenaultCloud.DemoDaciaAccountId);

        using var resume = await session.KamereonPostAsync(path, jwt, Action("ChargePauseResume", new { action = "resume" }));
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        Assert.True(spring.Read().Charging);

        using var pause = await session.KamereonPostAsync(path, jwt, Action("ChargePauseResume", new { action = "pause" }));
        Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        Assert.False(spring.Read().Charging);
        Assert.Equal(2, session.Cloud.CallCount("pause-resume"));
    }

    [Fact]
    public async Task A_charge_schedule_that_breaks_the_car_rules_is_rejected_and_a_valid_one_is_stored()
    {
        await using var session = await StartAsync();
        var jwt = await session.LoggedInJwtAsync();
        var path = CarPath(RenaultCloud.DemoZoePhase1Vin, "v1", "actions/charge-schedule");

        using var offQuarter = await session.KamereonPostAsync(path, jwt, Action("ChargeSchedule", new
        {
            schedules = new[] { new { id = 1, activated = true, monday = new { startTime = "T01:01Z", duration = 300 } } },
        }));
        using var twoActive = await session.KamereonPostAsync(path, jwt, Action("ChargeSchedule", new
        {
            schedules = new[]
            {
                new { id = 1, activated = true, monday = new { startTime = "T01:00Z", duration = 60 } },
                new { id = 2, activated = true, monday = new { startTime = "T03:00Z", duration = 60 } },
            },
        }));
        using var valid = await session.KamereonPostAsync(path, jwt, Action("ChargeSchedule", new
        {
            schedules = new[] { new { id = 1, activated = true, monday = new { startTime = "T22:30Z", duration = 420 } } },
        }));

        Assert.Equal(HttpStatusCode.BadRequest, offQuarter.StatusCode);
        Assert.Equal("err.func.400", await ErrorCodeAsync(offQuarter));
        Assert.Equal(HttpStatusCode.BadRequest, twoActive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        var settings = await session.AttributesAsync(CarPath(RenaultCloud.DemoZoePhase1Vin, "v1", "charging-settings"), jwt);
        var stored = settings["schedules"]!.AsArray().Single()!;
        Assert.Equal("T22:30Z", (string)stored["monday"]!["startTime"]!);
        Assert.Equal(420, (int)stored["monday"]!["duration"]!);
    }

    [Fact]
    public async Task In_schedule_mode_the_car_waits_for_its_window_and_then_charges()
    {
        await using var session = await StartAsync();
        var jwt = await session.LoggedInJwtAsync();
        var vin = RenaultCloud.DemoZoePhase1Vin;

        // The fake clock starts on Wednesday 20:00 UTC; the window opens at 22:00 the same day.
        using var schedule = await session.KamereonPostAsync(CarPath(vin, "v1", "actions/charge-schedule"), jwt, Action("ChargeSchedule", new
        {
            schedules = new[] { new { id = 1, activated = true, wednesday = new { startTime = "T22:00Z", duration = 120 } } },
        }));
        using var mode = await session.KamereonPostAsync(CarPath(vin, "v1", "actions/charge-mode"), jwt,
            Action("ChargeMode", new { action = "schedule_mode" }));
        Assert.Equal(HttpStatusCode.OK, schedule.StatusCode);
        Assert.Equal(HttpStatusCode.OK, mode.StatusCode);

        var waiting = await session.AttributesAsync(CarPath(vin, "v2", "battery-status"), jwt);
        Assert.Equal(0.1, (double)waiting["chargingStatus"]!);

        session.Time.Advance(TimeSpan.FromHours(2.5));
        Assert.True(session.Cloud.Car(vin).Read().Charging);

        session.Time.Advance(TimeSpan.FromHours(2));
        Assert.False(session.Cloud.Car(vin).Read().Charging);
    }

    [Fact]
    public async Task Switching_back_to_always_charging_starts_a_car_that_waited_for_its_window()
    {
        await using var session = await StartAsync();
        var jwt = await session.LoggedInJwtAsync();
        var vin = RenaultCloud.DemoZoePhase1Vin;
        using var schedule = await session.KamereonPostAsync(CarPath(vin, "v1", "actions/charge-schedule"), jwt, Action("ChargeSchedule", new
        {
            schedules = new[] { new { id = 1, activated = true, friday = new { startTime = "T01:00Z", duration = 60 } } },
        }));
        using var scheduled = await session.KamereonPostAsync(CarPath(vin, "v1", "actions/charge-mode"), jwt,
            Action("ChargeMode", new { action = "schedule_mode" }));
        Assert.False(session.Cloud.Car(vin).Read().Charging);

        using var always = await session.KamereonPostAsync(CarPath(vin, "v1", "actions/charge-mode"), jwt,
            Action("ChargeMode", new { action = "always_charging" }));

        Assert.Equal(HttpStatusCode.OK, always.StatusCode);
        Assert.True(session.Cloud.Car(vin).Read().Charging);
        var mode = await session.AttributesAsync(CarPath(vin, "v1", "charge-mode"), jwt);
        Assert.Equal("always", (string)mode["chargeMode"]!);
    }

    [Fact]
    public async Task The_megane_starts_through_kcm_now_or_at_a_later_instant()
    {
        await using var session = await StartAsync();
        var jwt = await session.LoggedInJwtAsync();
        var megane = session.Cloud.Car(RenaultCloud.DemoMeganeVin);
        megane.Plug(true);
        var path = KcmPath(RenaultCloud.DemoMeganeVin, "charge/start");

        using var past = await session.KamereonPostAsync(path, jwt, Action("ChargingStart", new { action = "start", startDateTime = "2026-11-25T19:00:00Z" }));
        using var later = await session.KamereonPostAsync(path, jwt, Action("ChargingStart", new { action = "start", startDateTime = "2026-11-25T23:45:00Z" }));

        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.False(megane.Read().Charging);
        session.Time.Advance(TimeSpan.FromHours(4));
        Assert.True(megane.Read().Charging);
    }

    [Fact]
    public async Task Preconditioning_turns_the_climate_on_and_cancel_turns_it_off()
    {
        await using var session = await StartAsync();
        var jwt = await session.LoggedInJwtAsync();
        var path = CarPath(RenaultCloud.DemoZoePhase2Vin, "v1", "actions/hvac-start");

        using var start = await session.KamereonPostAsync(path, jwt, Action("HvacStart", new { action = "start", targetTemperature = 21.0 }));
        var on = await session.AttributesAsync(CarPath(RenaultCloud.DemoZoePhase2Vin, "v1", "hvac-status"), jwt);
        using var cancel = await session.KamereonPostAsync(path, jwt, Action("HvacStart", new { action = "cancel" }));

        Assert.Equal(HttpStatusCode.OK, start.StatusCode);
        Assert.Equal(21.0, (double)(await BodyAsync(start))["data"]!["attributes"]!["targetTemperature"]!);
        Assert.Equal("on", (string)on["hvacStatus"]!);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.False(session.Cloud.Car(RenaultCloud.DemoZoePhase2Vin).Read().ClimateActive);
    }

    [Fact]
    public async Task Soc_levels_set_the_charge_limit_of_a_kcm_car_within_the_allowed_range()
    {
        await using var session = await StartAsync();
        var jwt = await session.LoggedInJwtAsync();
        var path = KcmPath(RenaultCloud.DemoMeganeVin, "ev/soc-levels");

        using var outOfRange = await session.KamereonPostAsync(path, jwt, new { socMin = 10, socTarget = 80 });
        using var accepted = await session.KamereonPostAsync(path, jwt, new { socMin = 20, socTarget = 80 });

        Assert.Equal(HttpStatusCode.BadRequest, outOfRange.StatusCode);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("SOC_SYNCH", (string)(await BodyAsync(accepted))["type"]!);
        Assert.Equal(80, session.Cloud.Car(RenaultCloud.DemoMeganeVin).Read().ChargeLimitPercent);
        using var read = await session.KamereonGetAsync(path, jwt);
        Assert.Equal(80, (int)(await BodyAsync(read))["socTarget"]!);
    }

    [Fact]
    public async Task Injected_faults_answer_in_order_and_then_the_cloud_recovers()
    {
        await using var session = await StartAsync();
        var jwt = await session.LoggedInJwtAsync();
        var path = CarPath(RenaultCloud.DemoZoePhase2Vin, "v2", "battery-status");
        session.Cloud.FailNext(1, RenaultFault.ServerError500);
        session.Cloud.FailNext(1, RenaultFault.BadGateway502Html);
        session.Cloud.FailNext(1, RenaultFault.QuotaExceeded429);

        using var first = await session.KamereonGetAsync(path, jwt);
        using var second = await session.KamereonGetAsync(path, jwt);
        using var third = await session.KamereonGetAsync(path, jwt);
        using var fourth = await session.KamereonGetAsync(path, jwt);

        Assert.Equal(HttpStatusCode.InternalServerError, first.StatusCode);
        Assert.Equal("err.tech.500", await ErrorCodeAsync(first));
        Assert.Equal(HttpStatusCode.BadGateway, second.StatusCode);
        Assert.Equal("text/html", second.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fourth.StatusCode);
        Assert.Equal(4, session.Cloud.CallCount("battery-status"));
    }

    [Fact]
    public async Task A_fault_aimed_at_a_gigya_method_hits_only_that_method()
    {
        await using var session = await StartAsync();
        session.Cloud.FailNext(1, RenaultFault.ServerError500, "accounts.getJWT");
        var loginToken = await session.LoginTokenAsync();

        using var form = new FormUrlEncodedContent([KeyValuePair.Create("ApiKey", RenaultCloud.DefaultGigyaApiKey), KeyValuePair.Create("login_token", loginToken)]);
        using var failed = await session.Http.PostAsync(new Uri(session.Cloud.GigyaUrl + "/accounts.getJWT"), form, Cancel);

        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.False(string.IsNullOrEmpty(await session.JwtAsync(loginToken)));
        Assert.Equal(1, session.Cloud.CallCount("accounts.login"));
        Assert.Equal(2, session.Cloud.CallCount("accounts.getJWT"));
    }

    [Fact]
    public async Task A_timeout_fault_holds_the_answer_until_the_client_gives_up()
    {
        await using var session = await StartAsync();
        var jwt = await session.LoggedInJwtAsync();
        session.Cloud.FailNext(1, RenaultFault.Timeout);
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        giveUp.CancelAfter(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            session.KamereonGetAbandonedAsync(CarPath(RenaultCloud.DemoZoePhase2Vin, "v2", "battery-status"), jwt, giveUp.Token));

        using var next = await session.KamereonGetAsync(CarPath(RenaultCloud.DemoZoePhase2Vin, "v2", "battery-status"), jwt);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task Revoked_login_tokens_answer_403005_and_sessions_from_before_a_code_was_required_answer_403013()
    {
        await using var session = await StartAsync();
        var revoked = await session.LoginTokenAsync();
        session.Cloud.RevokeLoginTokens();
        var unverified = await session.LoginTokenAsync();

        var refused = await session.GigyaAsync("accounts.getJWT", ("ApiKey", RenaultCloud.DefaultGigyaApiKey), ("login_token", revoked));
        session.Cloud.SetTwoFactorRequired(true);
        var unverifiedInfo = await session.GigyaAsync("accounts.getJWT", ("ApiKey", RenaultCloud.DefaultGigyaApiKey), ("login_token", unverified));

        Assert.Equal(403005, (int)refused["errorCode"]!);
        Assert.Null(refused["id_token"]);
        Assert.Equal(403013, (int)unverifiedInfo["errorCode"]!);
        Assert.Equal("Unverified user", (string?)unverifiedInfo["errorDetails"]);
    }

    [Fact]
    public async Task A_hundred_concurrent_reads_are_all_answered_and_counted()
    {
        await using var session = await StartAsync();
        var jwt = await session.LoggedInJwtAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 100).Select(async _ =>
        {
            using var response = await session.KamereonGetAsync(CarPath(RenaultCloud.DemoMeganeVin, "v2", "cockpit"), jwt);
            return response.StatusCode;
        }));

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(100, session.Cloud.CallCount("cockpit"));
    }

    [Fact]
    public async Task The_control_api_injects_faults_over_http()
    {
        await using var session = await StartAsync();
        var jwt = await session.LoggedInJwtAsync();

        using var control = await session.Http.PostAsync("/_control/renault/fail-next?count=1&fault=ServerError500&name=location", null, Cancel);
        using var failed = await session.KamereonGetAsync(CarPath(RenaultCloud.DemoZoePhase2Vin, "v1", "location"), jwt);
        using var counted = await session.Http.GetAsync("/_control/renault/calls/location", Cancel);

        Assert.Equal(HttpStatusCode.NoContent, control.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(1, (int)(await BodyAsync(counted))["count"]!);
    }

    [Fact]
    public async Task The_control_api_adds_a_car_and_plugs_it_in()
    {
        await using var session = await StartAsync();

        using var account = await session.Http.PostAsync("/_control/renault/accounts?accountType=MYALPINE", null, Cancel);
        var accountId = (string)(await BodyAsync(account))["accountId"]!;
        using var added = await session.Http.PostAsync(
            $"/_control/renault/accounts/{accountId}/vehicles?vin=VFAA5E00012345678&modelCode=A5E1AE&capacityKwh=52&chargePowerKw=11", null, Cancel);
        using var duplicate = await session.Http.PostAsync(
            $"/_control/renault/accounts/{accountId}/vehicles?vin=VFAA5E00012345678&modelCode=A5E1AE", null, Cancel);
        using var plug = await session.Http.PostAsync("/_control/renault/cars/VFAA5E00012345678/plug?plugged=true", null, Cancel);
        using var state = await session.Http.GetAsync("/_control/renault/cars/VFAA5E00012345678", Cancel);

        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, plug.StatusCode);
        Assert.True((bool)(await BodyAsync(state))["state"]!["plugged"]!);
        Assert.Equal("MYALPINE", session.Cloud.Accounts().Single(a => a.AccountId == accountId).AccountType);
        Assert.Equal(11, session.Cloud.Car("VFAA5E00012345678").Spec.ChargePowerKw);
    }
}
