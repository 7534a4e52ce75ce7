using System.Net;
using EvGateway.Manufacturers.Psa;
using EvGateway.Manufacturers.Psa.Mqtt;
using EvGateway.Simulator.Psa;
using EvGateway.Vehicles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace EvGateway.Tests.Manufacturers.Psa;

public sealed class PsaPlumbingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_401_refreshes_the_access_token_once_and_replays_the_request_once()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway();
        var seen = new List<HttpRequestMessage>();
        using var invoker = new HttpMessageInvoker(new PsaAuthHandler(
            gateway.Services.GetRequiredService<PsaTokenProvider>(), gateway.Services.GetRequiredService<PsaAccount>())
        {
            InnerHandler = new Answering(request =>
            {
                seen.Add(request);
                return seen.Count == 1 ? HttpStatusCode.Unauthorized : HttpStatusCode.OK;
            }),
        });

        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://api.test/user/vehicles"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, seen.Count);
        Assert.Equal(2, bed.Psa.RefreshCount);
        Assert.NotEqual(seen[0].Headers.Authorization!.Parameter, seen[1].Headers.Authorization!.Parameter);
        Assert.Equal(await gateway.CurrentAccessTokenAsync(Ct), seen[1].Headers.Authorization!.Parameter);
        Assert.Equal("Bearer", seen[1].Headers.Authorization!.Scheme);
        Assert.Equal(PsaCloud.Realm, Assert.Single(seen[1].Headers.GetValues("x-introspect-realm")));
        Assert.Equal($"?client_id={PsaCloud.DemoClientId}", seen[1].RequestUri!.Query);
        Assert.Contains(seen[1].Headers.Accept, a => a.MediaType == "application/hal+json");
    }

    [Theory]
    [InlineData(PsaOAuthClient.HttpClientName)]
    [InlineData(PsaRemoteTokenProvider.HttpClientName)]
    public async Task Token_calls_wait_for_a_slow_identity_server_far_longer_than_data_calls(string client)
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway();
        var resilience = gateway.Services.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>();

        var tokens = resilience.Get($"{client}-standard");
        var data = resilience.Get("IPsaConnectedCarApi-standard");

        // Giving up on a token answer can lose the only valid refresh token, so these calls wait a minute.
        Assert.Equal(TimeSpan.FromSeconds(60), tokens.AttemptTimeout.Timeout);
        Assert.True(tokens.TotalRequestTimeout.Timeout > tokens.AttemptTimeout.Timeout);
        Assert.True(data.AttemptTimeout.Timeout < tokens.AttemptTimeout.Timeout, $"data calls: {data.AttemptTimeout.Timeout}");
        // The pipeline with these settings is valid: a refresh goes through it.
        Assert.False(string.IsNullOrEmpty(await gateway.CurrentAccessTokenAsync(Ct)));
    }

    [Fact]
    public async Task A_second_401_goes_back_to_the_caller_without_another_refresh()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway();
        var calls = 0;
        using var invoker = new HttpMessageInvoker(new PsaAuthHandler(
            gateway.Services.GetRequiredService<PsaTokenProvider>(), gateway.Services.GetRequiredService<PsaAccount>())
        {
            InnerHandler = new Answering(_ =>
            {
                calls++;
                return HttpStatusCode.Unauthorized;
            }),
        });

        using var response = await invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, "http://api.test/user/vehicles"), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(2, calls);
        Assert.Equal(2, bed.Psa.RefreshCount);
    }

    [Fact]
    public async Task A_server_error_on_a_read_is_retried_and_the_read_succeeds()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway();
        var vehicle = await gateway.VehicleAsync(PsaCloud.DemoE208Vin);
        bed.Psa.FailNext(1, PsaFault.ServerError);

        var read = AdvanceUntilDoneAsync(bed, gateway.Provider.GetStatusAsync(vehicle, Ct));

        Assert.Equal(vehicle.Vin, (await read).Vin);
        Assert.Equal(2, bed.Psa.CallCount("/user/vehicles/{id}/status"));
    }

    [Fact]
    public async Task A_cloud_that_keeps_failing_is_upstream_unavailable_even_with_an_html_body()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway();
        var vehicle = await gateway.VehicleAsync(PsaCloud.DemoE208Vin);
        bed.Psa.FailNext(3, PsaFault.BadGatewayHtml);

        var read = AdvanceUntilDoneAsync(bed, gateway.Provider.GetStatusAsync(vehicle, Ct));
        var failure = await Assert.ThrowsAsync<GatewayException>(() => read);

        Assert.Equal(ErrorCodes.UpstreamUnavailable, failure.Code);
        Assert.Equal(3, bed.Psa.CallCount("/user/vehicles/{id}/status"));
    }

    [Fact]
    public async Task The_session_service_logs_in_at_start_and_keeps_the_broker_session_open()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway();
        // The session service alone: the core's start-up login would log in for it.
        var hosted = gateway.Services.GetServices<IHostedService>().OfType<PsaSessionService>().ToList();
        Assert.Equal(ProviderHealthState.Starting, gateway.Provider.Health.State);

        foreach (var service in hosted)
        {
            await service.StartAsync(Ct);
        }

        var connection = gateway.Services.GetRequiredService<PsaMqttConnection>();
        await FakeClock.EventuallyAsync(() => connection.IsConnected, Ct);
        Assert.Equal(ProviderHealthState.LoggedIn, gateway.Provider.Health.State);
        foreach (var service in hosted)
        {
            await service.StopAsync(Ct);
        }

        await PsaProviderTests.AssertNoSecretsAsync(bed, gateway);
    }

    [Fact]
    public async Task Commands_still_work_after_the_tokens_the_broker_session_was_opened_with_have_expired()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway();
        var vehicle = await gateway.VehicleAsync(PsaCloud.DemoE208Vin);
        await gateway.Provider.SendCommandAsync(vehicle, new VehicleCommand(VehicleCommandKind.Lock), Ct);

        bed.Time.Advance(TimeSpan.FromHours(2));
        var outcome = await gateway.Provider.SendCommandAsync(vehicle, new VehicleCommand(VehicleCommandKind.Unlock), Ct);

        Assert.True(outcome.Accepted);
        Assert.Equal(2, bed.Psa.RefreshCount);
        Assert.Equal(2, bed.Psa.RemoteTokenRefreshCount);
        Assert.False(bed.Psa.Car(vehicle.Vin).Read().Locked);
    }

    [Fact]
    public async Task A_wrong_setting_fails_at_start_naming_the_key()
    {
        await using var bed = await PsaAdapter.StartBedAsync();

        var failure = Assert.Throws<OptionsValidationException>(() =>
            bed.StartGateway(new Dictionary<string, string?> { ["Psa:ApiUrl"] = "not a url" }));

        Assert.Contains("Psa:ApiUrl", failure.Message, StringComparison.Ordinal);
    }

    // The resilience pipeline waits between retries on the injected (fake) clock: move it until the call is done,
    // slowly enough that an attempt in flight never sees its own timeout pass.
    private static Task<T> AdvanceUntilDoneAsync<T>(TestBed bed, Task<T> call) =>
        bed.Time.AdvanceUntilDoneAsync(call, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(200));

    private sealed class Answering(Func<HttpRequestMessage, HttpStatusCode> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            // Keep what the handler sent; the request object itself is replayed, so copy the headers now.
            var copy = new HttpRequestMessage(request.Method, request.RequestUri);
            foreach (var header in request.Headers)
            {
                copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            return Task.FromResult(new HttpResponseMessage(answer(copy)));
        }
    }
}
