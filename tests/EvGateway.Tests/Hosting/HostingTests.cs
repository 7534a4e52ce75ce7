using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.Hosting;
using EvGateway.Simulator.Psa;
using EvGateway.Simulator.Renault;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace EvGateway.Tests.Hosting;

public class HostingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("192.168.1.20", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.20.0.5", true)]
    [InlineData("::1", true)]
    [InlineData("::ffff:192.168.1.20", true)]
    [InlineData("fe80::1", true)]
    [InlineData("8.8.8.8", false)]
    [InlineData("172.32.0.1", false)]
    [InlineData("2001:4860::8888", false)]
    public void The_default_allowed_networks_are_loopback_and_the_private_LAN_ranges(string address, bool allowed)
    {
        var networks = LanGuard.Parse([]);

        Assert.Equal(allowed, networks.Any(n => n.Contains(IPAddress.Parse(address) is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : IPAddress.Parse(address))));
    }

    [Fact]
    public void A_malformed_allowed_network_stops_the_start_naming_the_key()
    {
        var failure = Assert.ThrowsAny<Exception>(() => LanGuard.Parse(["192.168.0.0/33"]));

        Assert.Contains("Gateway:AllowedNetworks", failure.Message);
    }

    [Fact]
    public async Task A_request_from_outside_the_allowed_networks_gets_403()
    {
        await using var app = await GatewayApp.StartAsync();
        var server = app.Services.GetRequiredService<IServer>() as TestServer;

        var context = await server!.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = "/get_vehicles";
            c.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.9");
        }, Ct);

        Assert.Equal(403, context.Response.StatusCode);
    }

    [Fact]
    public async Task With_an_API_key_set_requests_need_the_header_but_health_does_not()
    {
        await using var app = await GatewayApp.StartAsync(new() { ["Gateway:ApiKey"] = "k3y-for-the-test" });

        var without = await app.Client.GetAsync("/api/vehicles", Ct);
        var health = await app.Client.GetAsync("/health/live", Ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/vehicles") { Headers = { { "X-Api-Key", "k3y-for-the-test" } } };
        var with = await app.Client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, without.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, with.StatusCode);
    }

    [Fact]
    public async Task Ready_turns_healthy_once_the_maker_has_logged_in()
    {
        await using var app = await GatewayApp.StartAsync();

        await app.Client.GetAsync("/api/vehicles", Ct);
        var ready = await app.Client.GetAsync("/health/ready", Ct);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("Renault", await ready.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Swagger_documents_every_route_with_a_summary_and_no_secret()
    {
        await using var app = await GatewayApp.StartAsync();

        var document = await app.Client.GetStringAsync("/swagger/v1/swagger.json", Ct);
        var paths = JsonDocument.Parse(document).RootElement.GetProperty("paths");

        foreach (var route in new[] { "/api/vehicles", "/api/vehicles/{vin}/status", "/api/vehicles/{vin}/commands/{command}", "/get_vehicles", "/get_vehicleinfo/{vin}" })
        {
            Assert.True(paths.TryGetProperty(route, out var operations), route);
            Assert.All(operations.EnumerateObject(), op => Assert.False(string.IsNullOrEmpty(op.Value.GetProperty("summary").GetString())));
        }

        var statusAnswers = paths.GetProperty("/api/vehicles/{vin}/status").GetProperty("get").GetProperty("responses");
        foreach (var code in new[] { "200", "400", "404", "501", "503" })
        {
            Assert.True(statusAnswers.TryGetProperty(code, out _), $"status route does not document {code}");
        }

        Assert.DoesNotContain(RenaultCloud.DemoPassword + "\"", document);
        Assert.DoesNotContain(RenaultCloud.DefaultKamereonApiKey, document);
    }

    [Fact]
    public async Task Metrics_count_cache_answers_and_cloud_reads_per_maker_without_secrets()
    {
        await using var app = await GatewayApp.StartAsync();
        var url = $"/api/vehicles/{RenaultCloud.DemoZoePhase2Vin}/status";
        await app.Client.GetAsync(url, Ct);
        await app.Client.GetAsync(url, Ct);

        var metrics = await app.Client.GetStringAsync("/metrics", Ct);

        // The host counts into a registry of its own, so these are exactly this test's two reads.
        Assert.Contains("evgateway_status_reads_total{maker=\"Renault\",source=\"cloud\"} 1\n", metrics);
        Assert.Contains("evgateway_status_reads_total{maker=\"Renault\",source=\"cache\"} 1\n", metrics);
        Assert.DoesNotContain(RenaultCloud.DefaultKamereonApiKey, metrics);
        Assert.DoesNotContain(RenaultCloud.DemoPassword + "\"", metrics);
    }

    [Fact]
    public async Task An_unknown_route_answers_a_404_problem()
    {
        await using var app = await GatewayApp.StartAsync();

        var answer = await app.Client.GetAsync("/no/such/route", Ct);

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal("not_found", (await answer.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_method_a_route_does_not_take_is_answered_405_with_problem_details_while_a_read_has_none()
    {
        await using var app = await GatewayApp.StartAsync();

        using var wrongMethod = await app.Client.DeleteAsync("/api/vehicles", Ct);
        using var read = await app.Client.GetAsync("/api/vehicles", Ct);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("application/problem+json", wrongMethod.Content.Headers.ContentType?.MediaType);
        var problem = await wrongMethod.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal(405, problem.GetProperty("status").GetInt32());
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("application/json", read.Content.Headers.ContentType?.MediaType);
    }
}

public class SecretsInLogsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task No_password_token_or_key_appears_in_the_log_of_a_busy_session()
    {
        await using var app = await GatewayApp.StartAsync(new() { ["Gateway:ApiKey"] = "the-gateway-api-key" });
        app.Client.DefaultRequestHeaders.Add("X-Api-Key", "the-gateway-api-key");
        await app.Client.GetAsync("/api/vehicles", Ct);
        await app.Client.GetAsync($"/get_vehicleinfo/{RenaultCloud.DemoZoePhase2Vin}", Ct);
        await app.Client.PostAsync($"/api/vehicles/{RenaultCloud.DemoZoePhase2Vin}/commands/charge-stop", null, Ct);
        app.Time.Advance(TimeSpan.FromMinutes(20));
        app.Simulator.Renault.RevokeLoginTokens();
        app.Simulator.Renault.FailNext(1, RenaultFault.ServerError500);
        await app.Client.GetAsync($"/api/vehicles/{RenaultCloud.DemoMeganeVin}/status?maxAge=0", Ct);
        await app.Client.GetAsync("/api/vehicles/VF1ZZZZZZZZZZZZZZ/status", Ct);
        await app.Client.GetAsync($"/get_vehicleinfo/{PsaCloud.DemoE208Vin}", Ct);
        await app.Client.GetAsync($"/wakeup/{PsaCloud.DemoE208Vin}", Ct);
        await app.Simulator.Psa.ExpireRemoteTokensAsync();
        await app.Client.GetAsync($"/charge_now/{PsaCloud.DemoE208Vin}/0", Ct);
        app.Time.Advance(TimeSpan.FromHours(2));
        await app.Client.GetAsync($"/api/vehicles/{PsaCloud.DemoHybridVin}/status?maxAge=0", Ct);

        var log = app.Log.All;
        Assert.DoesNotContain(PsaCloud.DemoRefreshToken, log);
        Assert.DoesNotContain(PsaCloud.DemoRemoteRefreshToken, log);
        Assert.DoesNotContain(PsaCloud.DemoClientSecret, log);
        Assert.DoesNotContain(app.Simulator.Psa.CurrentRefreshToken, log);
        Assert.DoesNotContain(app.Simulator.Psa.CurrentRemoteRefreshToken, log);

        Assert.NotEmpty(app.Log.Lines);
        Assert.DoesNotContain("password=", log, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(RenaultCloud.DefaultKamereonApiKey, log);
        Assert.DoesNotContain(RenaultCloud.DefaultGigyaApiKey, log);
        Assert.DoesNotContain("the-gateway-api-key", log);
        Assert.DoesNotContain("eyJ", log);
        Assert.DoesNotMatch(@"\bdemo\b(?!@)", log.Replace(RenaultCloud.DemoUsername, ""));
    }

    [Fact]
    public async Task The_request_log_shows_commands_and_failures_but_not_the_reads_home_automation_polls()
    {
        await using var app = await GatewayApp.StartAsync();
        var zoe = RenaultCloud.DemoZoePhase2Vin;

        await app.Client.GetAsync($"/api/vehicles/{zoe}/status", Ct);
        await app.Client.PostAsync($"/api/vehicles/{zoe}/commands/charge-start", null, Ct);
        await app.Client.GetAsync("/get_vehicleinfo/VF1AG000000000099", Ct);

        // The request log is written once the answer has gone: give it a moment.
        var command = $"Information RequestMethod=POST RequestPath=/api/vehicles/{zoe}/commands/charge-start StatusCode=202";
        const string failure = "Warning RequestMethod=GET RequestPath=/get_vehicleinfo/VF1AG000000000099 StatusCode=404";
        var requests = await RequestLinesAsync(app, command, failure);
        Assert.Contains(command, requests);
        Assert.Contains(failure, requests);
        Assert.DoesNotContain(requests, line => line.Contains("/status", StringComparison.Ordinal));
    }

    private static async Task<List<string>> RequestLinesAsync(GatewayApp app, params string[] expected)
    {
        var requests = new List<string>();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            // Each request line as its level and the request's fields.
            requests = app.Log.Lines.Where(line => line.Contains("RequestLoggingMiddleware", StringComparison.Ordinal))
                .Select(line => $"{line.Split(' ')[0]} {Field(line, "RequestMethod")} {Field(line, "RequestPath")} {Field(line, "StatusCode")}").ToList();
            if (expected.All(requests.Contains))
            {
                break;
            }

            await Task.Delay(20, Ct);
        }

        return requests;
    }

    private static string Field(string line, string name) =>
        line.Split(' ').FirstOrDefault(part => part.StartsWith(name + "=", StringComparison.Ordinal)) ?? $"{name}=?";
}
