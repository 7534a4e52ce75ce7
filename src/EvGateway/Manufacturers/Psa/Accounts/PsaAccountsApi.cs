using EvGateway.Manufacturers.Psa.Pairing;
using EvGateway.Vehicles;
using EvGateway.Vehicles.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace EvGateway.Manufacturers.Psa.Accounts;

/// <summary>
/// The PSA account's steps as REST routes under <c>/api/accounts/psa/</c> (design.md, "Accounts and first login"): the
/// browser login, the remote-command pairing, and the import from psa_car_controller. A refusal is a ProblemDetails
/// with its <c>code</c>, the <c>field</c> it is about when there is one, and the <c>account</c> after it.
/// </summary>
internal static class PsaAccountsApi
{
    public static void Map(RouteGroupBuilder psa)
    {
        psa.MapPost("/login", StartPsaLogin).Validate<PsaLoginRequest>().WithName(nameof(StartPsaLogin))
            .WithSummary("Start the browser login: the address of the brand's login page for the owner to open")
            .WithDescription("clientId and clientSecret are the brand app's (psa_car_controller's config.json has them); without them, those " +
                             "of the stored login of this brand, else Psa:ClientId and Psa:ClientSecret. The page ends on an app address " +
                             "(mymap://oauth2redirect/fr?code=...) that the browser cannot open: paste it to /authorize within 10 minutes.");
        psa.MapPost("/authorize", AuthorizePsa).Validate<PsaAuthorizeRequest>().WithName(nameof(AuthorizePsa))
            .WithSummary("Finish the browser login with the address the brand's page ended on (or its code): answers the account")
            .WithDescription($"A refused code is a 400 with code {PsaMakerAccount.AuthorizationRejectedCode}; refused app credentials " +
                             $"{PsaMakerAccount.ClientRejectedCode}; no started login a 409 {PsaMakerAccount.LoginNotStartedCode}.");
        psa.MapPost("/pairing/sms", RequestPsaPairingSms).WithName(nameof(RequestPsaPairingSms))
            .WithSummary("Ask PSA to text a pairing code to the phone of the connected account (202)");
        psa.MapPost("/pairing", PairPsa).Validate<PsaPairingRequest>().WithName(nameof(PairPsa))
            .WithSummary("Pair remote commands with the texted code and the brand app's PIN: answers the account, remoteCommands \"paired\"")
            .WithDescription($"A refused code, PIN or account is a 400 with code {PsaPairingException.PairingRejectedCode}; each attempt " +
                             "counts toward PSA's limit of about 20 pairings, so nothing is retried.");
        psa.MapPost("/import", ImportPsacc).Validate<PsaImportRequest>().WithName(nameof(ImportPsacc))
            .WithSummary("Bring psa_car_controller's config.json, otp.bin (base64), charge_config.json, info.db (base64) and config.ini: answers the account and what was taken")
            .WithDescription("A malformed file is a 400 naming the field, and nothing changes. Stop psa_car_controller first: " +
                             "it would go on rotating the tokens this import takes over.");
    }

    public static Results<Ok<PsaAuthorizeUrl>, ProblemHttpResult> StartPsaLogin(PsaLoginRequest request, PsaMakerAccount account)
    {
        var result = account.StartLogin(request.Brand, request.Country, request.ClientId, request.ClientSecret);
        return result.Succeeded ? TypedResults.Ok(new PsaAuthorizeUrl(new Uri(result.Link!))) : Refused(result);
    }

    public static async Task<Results<Ok<AccountStatus>, ProblemHttpResult>> AuthorizePsa(PsaAuthorizeRequest request, PsaMakerAccount account,
        CancellationToken cancellationToken)
    {
        var (pasted, field) = string.IsNullOrWhiteSpace(request.RedirectUrl) ? (request.Code!, "code") : (request.RedirectUrl, "redirectUrl");
        var result = await account.AuthorizeAsync(pasted, field, cancellationToken);
        return result.Succeeded ? TypedResults.Ok(result.Status) : Refused(result);
    }

    public static async Task<Results<Accepted, ProblemHttpResult>> RequestPsaPairingSms(PsaMakerAccount account, CancellationToken cancellationToken)
    {
        var result = await account.RequestSmsCodeAsync(cancellationToken);
        return result.Succeeded ? TypedResults.Accepted((string?)null) : Refused(result);
    }

    public static async Task<Results<Ok<AccountStatus>, ProblemHttpResult>> PairPsa(PsaPairingRequest request, PsaMakerAccount account,
        CancellationToken cancellationToken)
    {
        var result = await account.PairAsync(request.SmsCode!, request.Pin!, cancellationToken);
        return result.Succeeded ? TypedResults.Ok(result.Status) : Refused(result);
    }

    public static async Task<Results<Ok<PsaImportAnswer>, ValidationProblem>> ImportPsacc(PsaImportRequest request, PsaccImport import,
        PsaMakerAccount account, CancellationToken cancellationToken)
    {
        if (request.ReadFiles(out var problems) is not { } files)
        {
            var problem = problems[0];
            return (ValidationProblem)Validation.Problem(problem.Field, problem.Reason);
        }

        var report = await import.ImportAsync(request.WithHistory(files), cancellationToken);
        return TypedResults.Ok(PsaImportAnswer.From(account.Status, report));
    }

    private static ProblemHttpResult Refused(AccountStepResult result)
    {
        var (status, title) = result.Code switch
        {
            PsaMakerAccount.LoginNotStartedCode => (StatusCodes.Status409Conflict, "No login was started"),
            PsaMakerAccount.LoginRequiredCode => (StatusCodes.Status409Conflict, "No account is connected"),
            PsaMakerAccount.ClientRejectedCode => (StatusCodes.Status400BadRequest, "The brand app's credentials were refused"),
            PsaPairingException.PairingRejectedCode => (StatusCodes.Status400BadRequest, "The pairing was refused"),
            ErrorCodes.ValidationFailed => (StatusCodes.Status400BadRequest, "Invalid request"),
            _ => (StatusCodes.Status400BadRequest, "The login was refused"),
        };
        var extensions = new Dictionary<string, object?> { ["code"] = result.Code, ["account"] = result.Status };
        if (result.Field is { } field)
        {
            extensions["field"] = field;
            extensions["errors"] = new Dictionary<string, string[]> { [field] = [result.Message] };
        }

        return TypedResults.Problem(result.Message, statusCode: status, title: title, extensions: extensions);
    }
}
