using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using EvGateway.Simulator.Psa;
using MQTTnet;

namespace EvGateway.Tests.Simulator.Psa;

public class PsaCloudTests
{
    private static readonly string E208Status = $"/user/vehicles/{PsaCloud.DemoE208VehicleId}/status";

    [Fact]
    public async Task A_refresh_rotates_the_refresh_token_and_the_old_one_then_gets_invalid_grant()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();

        using var first = await psa.RefreshAsync(PsaCloud.DemoRefreshToken);
        var tokens = await PsaSimulatorHarness.ReadJsonAsync(first);
        using var replay = await psa.RefreshAsync(PsaCloud.DemoRefreshToken);
        var replayError = await PsaSimulatorHarness.ReadJsonAsync(replay);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var rotated = tokens["refresh_token"]!.GetValue<string>();
        Assert.NotEqual(PsaCloud.DemoRefreshToken, rotated);
        Assert.Equal(rotated, psa.Psa.CurrentRefreshToken);
        Assert.Equal(3599, tokens["expires_in"]!.GetValue<int>());
        Assert.Equal("Bearer", tokens["token_type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("invalid_grant", replayError["error"]!.GetValue<string>());
        Assert.Equal(2, psa.Psa.RefreshCount);
    }

    [Fact]
    public async Task A_refresh_with_the_wrong_client_secret_is_refused_as_invalid_client()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();

        using var response = await psa.RefreshAsync(PsaCloud.DemoRefreshToken, clientSecret: "not-the-secret");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_client", (await PsaSimulatorHarness.ReadJsonAsync(response))["error"]!.GetValue<string>());
        Assert.Equal(PsaCloud.DemoRefreshToken, psa.Psa.CurrentRefreshToken);
    }

    [Fact]
    public async Task The_seventh_refresh_within_30_minutes_is_rate_limited_and_the_account_stays_banned()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        for (var i = 0; i < PsaCloud.MaxRefreshesPerWindow; i++)
        {
            using var allowed = await psa.RefreshAsync(psa.Psa.CurrentRefreshToken);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            psa.Time.Advance(TimeSpan.FromMinutes(4));
        }

        using var seventh = await psa.RefreshAsync(psa.Psa.CurrentRefreshToken);
        psa.Time.Advance(PsaCloud.RefreshWindow);
        using var stillBanned = await psa.RefreshAsync(psa.Psa.CurrentRefreshToken);
        psa.Time.Advance(PsaCloud.RefreshBanDuration);
        using var afterBan = await psa.RefreshAsync(psa.Psa.CurrentRefreshToken);

        Assert.Equal(HttpStatusCode.TooManyRequests, seventh.StatusCode);
        Assert.NotNull(seventh.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.TooManyRequests, stillBanned.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterBan.StatusCode);
    }

    [Fact]
    public async Task The_vehicle_list_holds_both_cars_with_opaque_ids_distinct_from_their_vins()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        var token = await psa.AccessTokenAsync();

        using var response = await psa.GetAsync("/user/vehicles", token);
        var vehicles = (await PsaSimulatorHarness.ReadJsonAsync(response))["_embedded"]!["vehicles"]!.AsArray();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/hal+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal([PsaCloud.DemoE208Vin, PsaCloud.DemoHybridVin], vehicles.Select(v => v!["vin"]!.GetValue<string>()));
        Assert.All(vehicles, v =>
        {
            Assert.Equal(32, v!["id"]!.GetValue<string>().Length);
            Assert.Equal(PsaCloud.Brand, v["brand"]!.GetValue<string>());
        });
        Assert.Equal(PsaCloud.DemoE208VehicleId, vehicles[0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_status_of_the_charging_e208_has_the_recorded_shape_and_follows_the_simulated_car()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        var token = await psa.AccessTokenAsync();
        psa.Time.Advance(TimeSpan.FromMinutes(30));

        using var response = await psa.GetAsync(E208Status, token);
        var status = await PsaSimulatorHarness.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var car = psa.Psa.Car(PsaCloud.DemoE208Vin).Read();
        var electric = status["energy"]!.AsArray().Single(e => e!["type"]!.GetValue<string>() == "Electric")!;
        Assert.Equal((int)Math.Round(car.Level), electric["level"]!.GetValue<int>());
        Assert.True(electric["level"]!.GetValue<int>() > 70);
        Assert.Equal((int)Math.Round(car.RangeKm), electric["autonomy"]!.GetValue<int>());
        var charging = electric["charging"]!;
        Assert.True(charging["plugged"]!.GetValue<bool>());
        Assert.Equal("InProgress", charging["status"]!.GetValue<string>());
        Assert.Equal("Slow", charging["chargingMode"]!.GetValue<string>());
        Assert.Equal("PT22H30M", charging["nextDelayedTime"]!.GetValue<string>());
        Assert.Equal(System.Xml.XmlConvert.ToString(TimeSpan.FromMinutes(car.RemainingMinutes!.Value)),
            charging["remainingTime"]!.GetValue<string>());
        Assert.True(charging["chargingRate"]!.GetValue<int>() > 0);
        var coordinates = status["lastPosition"]!["geometry"]!["coordinates"]!.AsArray();
        Assert.Equal([9.65457, 49.96119, 21], coordinates.Select(c => c!.GetValue<double>()));
        Assert.Equal(1107.1, status["odometer"]!["mileage"]!.GetValue<double>());
        Assert.Equal("Disabled", status["preconditionning"]!["airConditioning"]!["status"]!.GetValue<string>());
        Assert.Equal(99, status["battery"]!["voltage"]!.GetValue<double>());
        Assert.False(status["kinetic"]!["moving"]!.GetValue<bool>());
        Assert.Equal("None", status["privacy"]!["state"]!.GetValue<string>());
        Assert.Equal("Locked", status["doorsState"]!["lockedState"]![0]!.GetValue<string>());
        Assert.Equal("2026-11-25T20:30:00Z", status["updatedAt"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_hybrid_reports_a_fuel_entry_and_the_newer_preconditioning_spelling()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        var token = await psa.AccessTokenAsync();

        using var response = await psa.GetAsync($"/user/vehicles/{PsaCloud.DemoHybridVehicleId}/status", token);
        var status = await PsaSimulatorHarness.ReadJsonAsync(response);

        var energy = status["energy"]!.AsArray();
        Assert.Equal(["Fuel", "Electric"], energy.Select(e => e!["type"]!.GetValue<string>()));
        Assert.Equal("Disconnected", energy[1]!["charging"]!["status"]!.GetValue<string>());
        Assert.Equal("PT0S", energy[1]!["charging"]!["remainingTime"]!.GetValue<string>());
        Assert.NotNull(status["preconditioning"]);
        Assert.Null(status["preconditionning"]);
    }

    [Fact]
    public async Task Calls_without_a_valid_unexpired_access_token_get_the_recorded_401_body()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        var token = await psa.AccessTokenAsync();

        using var anonymous = await psa.GetAsync("/user/vehicles", accessToken: null);
        psa.Time.Advance(TimeSpan.FromSeconds(3599));
        using var expired = await psa.GetAsync("/user/vehicles", token);
        var body = await PsaSimulatorHarness.ReadJsonAsync(expired);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Equal("401", body["httpCode"]!.GetValue<string>());
        Assert.Equal("Token is invalid", body["moreInformation"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_call_with_another_brands_realm_is_refused()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        var token = await psa.AccessTokenAsync();

        using var response = await psa.GetAsync("/user/vehicles", token, realm: "clientsB2CCitroen");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task An_unknown_vehicle_id_gets_the_recorded_404_body()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        var token = await psa.AccessTokenAsync();

        using var response = await psa.GetAsync($"/user/vehicles/{PsaCloud.DemoE208Vin}/status", token);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(40400, (await PsaSimulatorHarness.ReadJsonAsync(response))["code"]!.GetValue<int>());
    }

    [Fact]
    public async Task Injected_faults_fail_exactly_the_next_calls_and_every_call_is_counted()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        var token = await psa.AccessTokenAsync();
        psa.Psa.FailNext(1, PsaFault.ServerError);
        psa.Psa.FailNext(1, PsaFault.BadGatewayHtml);

        using var first = await psa.GetAsync(E208Status, token);
        using var second = await psa.GetAsync(E208Status, token);
        using var third = await psa.GetAsync(E208Status, token);

        Assert.Equal(HttpStatusCode.InternalServerError, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadGateway, second.StatusCode);
        Assert.Equal("text/html", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Equal(3, psa.Psa.CallCount(E208Status));
        Assert.Equal(3, psa.Psa.CallCount("/user/vehicles/{id}/status"));
        Assert.Equal(0, psa.Psa.CallCount("/user/vehicles"));
    }

    [Fact]
    public async Task The_last_position_is_a_geojson_feature_with_longitude_first()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        var token = await psa.AccessTokenAsync();

        using var response = await psa.GetAsync($"/user/vehicles/{PsaCloud.DemoHybridVehicleId}/lastPosition", token);
        var feature = await PsaSimulatorHarness.ReadJsonAsync(response);

        Assert.Equal("Feature", feature["type"]!.GetValue<string>());
        Assert.Equal(-1.59008, feature["geometry"]!["coordinates"]![0]!.GetValue<double>());
        Assert.Equal(47.274, feature["geometry"]!["coordinates"]![1]!.GetValue<double>());
    }

    [Fact]
    public async Task A_remote_token_refresh_rotates_the_remote_refresh_token()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        var token = await psa.AccessTokenAsync();

        var remoteToken = await psa.RemoteTokenAsync(token);

        Assert.False(string.IsNullOrEmpty(remoteToken));
        Assert.NotEqual(PsaCloud.DemoRemoteRefreshToken, psa.Psa.CurrentRemoteRefreshToken);
        Assert.Equal(1, psa.Psa.RemoteTokenRefreshCount);
    }

    [Fact]
    public async Task A_delayed_charge_command_stops_the_charging_car_answers_with_the_same_correlation_id_and_starts_it_at_that_hour()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        var token = await psa.AccessTokenAsync();
        var remoteToken = await psa.RemoteTokenAsync(token);
        await using var mqtt = await PsaMqttProbe.ConnectAsync(psa.Psa.MqttPort, remoteToken);

        var correlationId = await mqtt.SendAsync("/VehCharge", PsaCloud.DemoE208Vin, remoteToken,
            new JsonObject { ["program"] = new JsonObject { ["hour"] = 22, ["minute"] = 0 }, ["type"] = "delayed" }, psa.Time.GetUtcNow());
        var reply = await mqtt.NextAsync(PsaTopics.Reply(PsaCloud.DemoCustomerId, "/VehCharge"));
        var carEvent = await mqtt.NextAsync(PsaTopics.Event(PsaCloud.DemoE208Vin));

        Assert.Equal(correlationId, reply["correlation_id"]!.GetValue<string>());
        Assert.Equal("0", reply["return_code"]!.GetValue<string>());
        Assert.Equal("Stopped", carEvent["charging_state"]!["status"]!.GetValue<string>());
        Assert.Equal("Delayed", carEvent["charging_state"]!["type"]!.GetValue<string>());
        Assert.Equal("PT22H", carEvent["charging_state"]!["next_delayed_time"]!.GetValue<string>());
        Assert.False(psa.Psa.Car(PsaCloud.DemoE208Vin).Read().Charging);
        var received = Assert.Single(psa.Psa.Published);
        Assert.Equal("delayed", received.Envelope!.Value.GetProperty("req_parameters").GetProperty("type").GetString());

        psa.Time.Advance(TimeSpan.FromMinutes(119));
        Assert.False(psa.Psa.Car(PsaCloud.DemoE208Vin).Read().Charging);
        // The first session ended with its remote token (899 s), as on the real broker: listen again with a fresh one.
        await using var listener = await PsaMqttProbe.ConnectAsync(psa.Psa.MqttPort, await psa.RemoteTokenAsync(await psa.AccessTokenAsync()));
        psa.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.True(psa.Psa.Car(PsaCloud.DemoE208Vin).Read().Charging);
        var startedEvent = await listener.NextAsync(PsaTopics.Event(PsaCloud.DemoE208Vin));
        Assert.Equal("InProgress", startedEvent["charging_state"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_immediate_charge_command_starts_a_stopped_car()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        var token = await psa.AccessTokenAsync();
        var remoteToken = await psa.RemoteTokenAsync(token);
        await using var mqtt = await PsaMqttProbe.ConnectAsync(psa.Psa.MqttPort, remoteToken);
        psa.Psa.Car(PsaCloud.DemoE208Vin).StopCharging();

        await mqtt.SendAsync("/VehCharge", PsaCloud.DemoE208Vin, remoteToken,
            new JsonObject { ["program"] = new JsonObject { ["hour"] = 0, ["minute"] = 0 }, ["type"] = "immediate" }, psa.Time.GetUtcNow());
        var carEvent = await mqtt.NextAsync(PsaTopics.Event(PsaCloud.DemoE208Vin));

        Assert.Equal("InProgress", carEvent["charging_state"]!["status"]!.GetValue<string>());
        Assert.Equal("Immediate", carEvent["charging_state"]!["type"]!.GetValue<string>());
        Assert.True(psa.Psa.Car(PsaCloud.DemoE208Vin).Read().Charging);
    }

    [Fact]
    public async Task An_asleep_car_answers_300_until_a_state_request_wakes_it()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        var token = await psa.AccessTokenAsync();
        var remoteToken = await psa.RemoteTokenAsync(token);
        await using var mqtt = await PsaMqttProbe.ConnectAsync(psa.Psa.MqttPort, remoteToken);
        psa.Psa.SetAsleep(PsaCloud.DemoHybridVin, true);
        var lockDoors = new JsonObject { ["action"] = "lock" };
        var doorsReply = PsaTopics.Reply(PsaCloud.DemoCustomerId, "/Doors");

        await mqtt.SendAsync("/Doors", PsaCloud.DemoHybridVin, remoteToken, lockDoors.DeepClone().AsObject(), psa.Time.GetUtcNow());
        var whileAsleep = await mqtt.NextAsync(doorsReply);
        await mqtt.SendAsync("/VehCharge/state", PsaCloud.DemoHybridVin, remoteToken, new JsonObject { ["action"] = "state" }, psa.Time.GetUtcNow());
        var wakeReply = await mqtt.NextAsync(PsaTopics.Reply(PsaCloud.DemoCustomerId, "/VehCharge/state"));
        var wakeEvent = await mqtt.NextAsync(PsaTopics.Event(PsaCloud.DemoHybridVin));
        await mqtt.SendAsync("/Doors", PsaCloud.DemoHybridVin, remoteToken, lockDoors.DeepClone().AsObject(), psa.Time.GetUtcNow());
        var afterWake = await mqtt.NextAsync(doorsReply);

        Assert.Equal("300", whileAsleep["return_code"]!.GetValue<string>());
        Assert.Equal("900", whileAsleep["process_code"]!.GetValue<string>());
        Assert.Equal("0", wakeReply["return_code"]!.GetValue<string>());
        Assert.Equal(PsaCloud.DemoHybridVin, wakeEvent["vin"]!.GetValue<string>());
        Assert.Equal("0", afterWake["return_code"]!.GetValue<string>());
        Assert.False(psa.Psa.IsAsleep(PsaCloud.DemoHybridVin));
    }

    [Fact]
    public async Task An_asleep_car_keeps_serving_its_last_reported_status_until_woken()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        var token = await psa.AccessTokenAsync();
        psa.Psa.SetAsleep(PsaCloud.DemoE208Vin, true);
        psa.Time.Advance(TimeSpan.FromMinutes(50));

        using var asleep = await psa.GetAsync(E208Status, token);
        psa.Psa.SetAsleep(PsaCloud.DemoE208Vin, false);
        using var awake = await psa.GetAsync(E208Status, token);

        Assert.Equal("2026-11-25T20:00:00Z", (await PsaSimulatorHarness.ReadJsonAsync(asleep))["updatedAt"]!.GetValue<string>());
        Assert.Equal("2026-11-25T20:50:00Z", (await PsaSimulatorHarness.ReadJsonAsync(awake))["updatedAt"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_revoked_remote_token_in_an_envelope_gets_return_code_400()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        var token = await psa.AccessTokenAsync();
        var remoteToken = await psa.RemoteTokenAsync(token);
        await using var mqtt = await PsaMqttProbe.ConnectAsync(psa.Psa.MqttPort, remoteToken);
        psa.Psa.RevokeRemoteTokens();

        var correlationId = await mqtt.SendAsync("/Horn", PsaCloud.DemoE208Vin, remoteToken,
            new JsonObject { ["nb_horn"] = 2, ["action"] = "activate" }, psa.Time.GetUtcNow());
        var reply = await mqtt.NextAsync(PsaTopics.Reply(PsaCloud.DemoCustomerId, "/Horn"));

        Assert.Equal(correlationId, reply["correlation_id"]!.GetValue<string>());
        Assert.Equal("400", reply["return_code"]!.GetValue<string>());
        Assert.Null(reply["process_code"]);
    }

    [Fact]
    public async Task A_car_in_privacy_mode_refuses_commands_with_422()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        var token = await psa.AccessTokenAsync();
        var remoteToken = await psa.RemoteTokenAsync(token);
        await using var mqtt = await PsaMqttProbe.ConnectAsync(psa.Psa.MqttPort, remoteToken);
        psa.Psa.SetPrivacy(PsaCloud.DemoE208Vin, true);

        await mqtt.SendAsync("/ThermalPrecond", PsaCloud.DemoE208Vin, remoteToken, new JsonObject { ["asap"] = "activate" }, psa.Time.GetUtcNow());
        var reply = await mqtt.NextAsync(PsaTopics.Reply(PsaCloud.DemoCustomerId, "/ThermalPrecond"));

        Assert.Equal("422", reply["return_code"]!.GetValue<string>());
        Assert.False(psa.Psa.Car(PsaCloud.DemoE208Vin).Read().ClimateActive);
    }

    [Fact]
    public async Task An_unresponsive_car_never_answers_while_the_other_car_still_does()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        var token = await psa.AccessTokenAsync();
        var remoteToken = await psa.RemoteTokenAsync(token);
        await using var mqtt = await PsaMqttProbe.ConnectAsync(psa.Psa.MqttPort, remoteToken);
        psa.Psa.SetUnresponsive(PsaCloud.DemoE208Vin, true);
        var horn = new JsonObject { ["nb_horn"] = 2, ["action"] = "activate" };

        var unanswered = await mqtt.SendAsync("/Horn", PsaCloud.DemoE208Vin, remoteToken, horn.DeepClone().AsObject(), psa.Time.GetUtcNow());
        var answered = await mqtt.SendAsync("/Horn", PsaCloud.DemoHybridVin, remoteToken, horn.DeepClone().AsObject(), psa.Time.GetUtcNow());
        var reply = await mqtt.NextAsync(PsaTopics.Reply(PsaCloud.DemoCustomerId, "/Horn"));

        // Commands are answered in arrival order, so the first reply to arrive would have been the unresponsive car's.
        Assert.Equal(answered, reply["correlation_id"]!.GetValue<string>());
        Assert.NotEqual(unanswered, answered);
        Assert.Equal(2, psa.Psa.Published.Count);
    }

    [Fact]
    public async Task A_command_with_a_malformed_correlation_id_is_refused()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        var token = await psa.AccessTokenAsync();
        var remoteToken = await psa.RemoteTokenAsync(token);
        await using var mqtt = await PsaMqttProbe.ConnectAsync(psa.Psa.MqttPort, remoteToken);

        await mqtt.SendAsync("/Doors", PsaCloud.DemoE208Vin, remoteToken, new JsonObject { ["action"] = "unlock" }, psa.Time.GetUtcNow(),
            correlationId: "not-a-correlation-id");
        var reply = await mqtt.NextAsync(PsaTopics.Reply(PsaCloud.DemoCustomerId, "/Doors"));

        Assert.NotEqual("0", reply["return_code"]!.GetValue<string>());
        Assert.True(psa.Psa.Car(PsaCloud.DemoE208Vin).Read().Locked);
    }

    [Fact]
    public async Task A_timeout_fault_never_answers_until_the_client_gives_up()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        var token = await psa.AccessTokenAsync();
        psa.Psa.FailNext(1, PsaFault.Timeout);
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var request = new HttpRequestMessage(HttpMethod.Get, $"{psa.Psa.ApiUrl}/user/vehicles?client_id={PsaCloud.DemoClientId}");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("x-introspect-realm", PsaCloud.Realm);

        var pending = psa.Http.SendAsync(request, giveUp.Token);
        giveUp.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        using var next = await psa.GetAsync("/user/vehicles", token);
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
    }

    [Fact]
    public async Task The_http_control_api_puts_a_car_to_sleep_and_reports_the_counters()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        var control = new Uri(psa.Simulator.BaseAddress, "_control/psa/");
        var token = await psa.AccessTokenAsync();

        using var sleep = await psa.Http.PostAsync(new Uri(control, $"cars/{PsaCloud.DemoE208Vin}/asleep?on=true"), null,
            TestContext.Current.CancellationToken);
        using var unknown = await psa.Http.PostAsync(new Uri(control, "cars/VR3UHZKXZLT000000/asleep?on=true"), null,
            TestContext.Current.CancellationToken);
        using var fault = await psa.Http.PostAsync(new Uri(control, "faults?count=1&fault=RateLimited"), null,
            TestContext.Current.CancellationToken);
        using var limited = await psa.GetAsync("/user/vehicles", token);
        using var counters = await psa.Http.GetAsync(new Uri(control, "counters"), TestContext.Current.CancellationToken);
        var body = await PsaSimulatorHarness.ReadJsonAsync(counters);

        Assert.Equal(HttpStatusCode.NoContent, sleep.StatusCode);
        Assert.True(psa.Psa.IsAsleep(PsaCloud.DemoE208Vin));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, fault.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(1, body["refreshCount"]!.GetValue<int>());
        Assert.Equal(1, body["vehicles"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_remote_token_endpoint_also_accepts_a_json_body_and_refuses_a_used_refresh_token()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        var token = await psa.AccessTokenAsync();
        var url = $"{psa.Psa.RemoteTokenUrl}?client_id={PsaCloud.DemoClientId}";

        using var first = await SendRemoteRefreshAsync(PsaCloud.DemoRemoteRefreshToken);
        using var replay = await SendRemoteRefreshAsync(PsaCloud.DemoRemoteRefreshToken);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(899, (await PsaSimulatorHarness.ReadJsonAsync(first))["expires_in"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("invalid_grant", (await PsaSimulatorHarness.ReadJsonAsync(replay))["error"]!.GetValue<string>());

        Task<HttpResponseMessage> SendRemoteRefreshAsync(string refreshToken)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = SizedJson.Create(new { grant_type = "refresh_token", refresh_token = refreshToken }),
            };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            return psa.Http.SendAsync(request, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task A_wake_up_makes_a_parked_car_report_fresh_data()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        psa.Time.Advance(TimeSpan.FromMinutes(20));
        var token = await psa.AccessTokenAsync();
        var remoteToken = await psa.RemoteTokenAsync(token);
        await using var mqtt = await PsaMqttProbe.ConnectAsync(psa.Psa.MqttPort, remoteToken);
        var hybridStatus = $"/user/vehicles/{PsaCloud.DemoHybridVehicleId}/status";

        using var before = await psa.GetAsync(hybridStatus, token);
        await mqtt.SendAsync("/VehCharge/state", PsaCloud.DemoHybridVin, remoteToken, new JsonObject { ["action"] = "state" }, psa.Time.GetUtcNow());
        var carEvent = await mqtt.NextAsync(PsaTopics.Event(PsaCloud.DemoHybridVin));
        using var after = await psa.GetAsync(hybridStatus, token);

        Assert.Equal("2026-11-25T20:00:00Z", (await PsaSimulatorHarness.ReadJsonAsync(before))["updatedAt"]!.GetValue<string>());
        Assert.Equal("2026-11-25T20:20:00Z", carEvent["date"]!.GetValue<string>());
        Assert.Equal("2026-11-25T20:20:00Z", (await PsaSimulatorHarness.ReadJsonAsync(after))["updatedAt"]!.GetValue<string>());
        Assert.Equal(59, carEvent["energy_level"]!["level"]!.GetValue<int>());
    }
}
