"""The one place that builds collaborators: every store, client and wallet a function uses, from one settings tree.

Each collaborator is built on first use and kept for the container's life (a Lambda container serves many
events; its clients, connections and secret caches are worth keeping). Adapters are imported inside the builders,
so a function pays at cold start only for what it uses: the scan never imports Apple's signing code.

Handlers call these builders; use cases receive what they build as arguments (their ports), and tests pass fakes
instead: to the use cases directly, or to a whole handler through `provided(pass_store=..., offers=...)`, under
which each named builder answers the fake. `reset()` forgets everything built, for tests that change the
environment between two cold starts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache, wraps
from typing import TYPE_CHECKING, Any, TypeVar

from loyalty.domain.clock import utc_now
from loyalty.settings import AirKitSettings, InvalidSettings, Settings, load_settings

# How many different addresses may ask for one pass's recovery mail in an hour (each within its own allowance).
RECOVERY_MAIL_ADDRESSES_PER_HOUR = 10

if TYPE_CHECKING:
    from loyalty.adapters.airkit.client import AirKitClient
    from loyalty.adapters.airkit.partner_keys import PartnerKeyring
    from loyalty.adapters.apple.push import ApplePassNotifier
    from loyalty.adapters.cognito.directory import CognitoDirectory
    from loyalty.adapters.dynamodb.activity_index import ActivityIndex
    from loyalty.adapters.dynamodb.business_profiles import BusinessProfileStore
    from loyalty.adapters.dynamodb.businesses import BusinessTable
    from loyalty.adapters.dynamodb.campaign_outcomes import CampaignOutcomeStore
    from loyalty.adapters.dynamodb.customers import CustomerStore
    from loyalty.adapters.dynamodb.exports import ExportStore
    from loyalty.adapters.dynamodb.issuances import DynamoIssuanceStore
    from loyalty.adapters.dynamodb.ledger import DynamoLedger
    from loyalty.adapters.dynamodb.member_directory import MemberDirectoryStore
    from loyalty.adapters.dynamodb.members import MemberStore
    from loyalty.adapters.dynamodb.offers import DynamoOfferStore
    from loyalty.adapters.dynamodb.pass_preferences import DynamoPassPreferences
    from loyalty.adapters.dynamodb.pass_store import DynamoPassStore
    from loyalty.adapters.dynamodb.recovery_links import RecoveryLinkStore
    from loyalty.adapters.dynamodb.reminders import DynamoReminderIndex
    from loyalty.adapters.dynamodb.stats import StatsReader
    from loyalty.adapters.dynamodb.throttle import ThrottleCounters
    from loyalty.adapters.dynamodb.wallet_registrations import AppleWalletStore
    from loyalty.adapters.google.objects import ClassLook
    from loyalty.adapters.google.passes import GoogleWalletPasses
    from loyalty.adapters.google.save_link import GoogleWalletLinks
    from loyalty.adapters.google.service_account import ServiceAccount
    from loyalty.adapters.images.s3 import S3BrandImages
    from loyalty.adapters.s3.export_files import S3ExportFiles
    from loyalty.adapters.secrets import ParsedSecret, SecretSource
    from loyalty.adapters.sqs.export_queue import SqsExportQueue
    from loyalty.adapters.stepfunctions import StepFunctionsWorkflows
    from loyalty.adapters.wallet_preview import WalletPreviewRenderer
    from loyalty.app.brand.brand_images import BrandChanged
    from loyalty.app.campaigns.create import CampaignDesk
    from loyalty.app.campaigns.fanout import CampaignFanOut
    from loyalty.app.customers.recovery import RecoveryMail
    from loyalty.app.ports.brand import DrawRenditions
    from loyalty.app.ports.delivery import (
        GoogleCallbackCheck,
        GoogleSaves,
        WalletCounts,
        WalletDeliveries,
    )
    from loyalty.app.ports.offers import OfferLookup
    from loyalty.app.ports.wallets import GoogleWalletUpdater
    from loyalty.app.staff.branch_cache import CachedBranches
    from loyalty.app.wallets.apple_web_service import AppleWebService
    from loyalty.app.wallets.certificate_expiry import CertificateLife
    from loyalty.app.wallets.refresh import LadderRefreshStarter, WalletRefresh
    from loyalty.app.wallets.sync import Wallets
    from loyalty.domain.offers import Offer
    from loyalty.domain.passes import Pass

T = TypeVar("T")
_forgets: list[Callable[[], None]] = []
_builders: set[str] = set()
# What tests handed in through `provided`, by builder name: answered instead of anything built.
_provided: dict[str, Any] = {}


def _per_container(build: Callable[[], T]) -> Callable[[], T]:
    """Build once per container; `reset()` forgets it; `provided` stands a fake in for it."""
    cached = cache(build)
    _forgets.append(cached.cache_clear)
    name = build.__name__
    _builders.add(name)

    @wraps(build)
    def collaborator() -> T:
        if name in _provided:
            return _provided[name]  # type: ignore[no-any-return]
        return cached()

    return collaborator


@contextmanager
def provided(**fakes: Any) -> Iterator[None]:
    """Within the block, each named builder (`pass_store`, `offers`, `settings` ...) answers the given fake, so
    a handler runs against fakes: no table, no network. Refuses a name that is no builder (a typo would
    otherwise test the real one)."""
    unknown = sorted(set(fakes) - _builders)
    if unknown:
        raise KeyError(f"no such collaborator: {', '.join(unknown)}")
    before = dict(_provided)
    _provided.update(fakes)
    try:
        yield
    finally:
        _provided.clear()
        _provided.update(before)


def reset() -> None:
    """Forget every collaborator and the settings: the next call reads the environment again (a cold start)."""
    for forget in _forgets:
        forget()
    from loyalty.adapters.aws_clients import client

    client.cache_clear()  # the clients too: a cold start reads their endpoints from the environment again


@_per_container
def settings() -> Settings:
    return load_settings()


def aws_client(service: str) -> Any:
    """The container's boto3 client of `service` (endpoints from the standard AWS_ENDPOINT_URL_<SERVICE>)."""
    from loyalty.adapters.aws_clients import client

    return client(service)


# ------------------------------------------------------------------------------------------------ stores
@_per_container
def pass_store() -> DynamoPassStore:
    from loyalty.adapters.dynamodb.pass_store import DynamoPassStore

    config = settings()
    return DynamoPassStore(aws_client("dynamodb"), config.table_name, config.idempotency_ttl_hours)


@_per_container
def pass_preferences() -> DynamoPassPreferences:
    from loyalty.adapters.dynamodb.pass_preferences import DynamoPassPreferences

    return DynamoPassPreferences(aws_client("dynamodb"), settings().table_name)


@_per_container
def offer_store() -> DynamoOfferStore:
    from loyalty.adapters.dynamodb.offers import DynamoOfferStore

    return DynamoOfferStore(aws_client("dynamodb"), settings().table_name)


@_per_container
def offers() -> OfferLookup:
    """The scanner routes' offers: kept per container for OFFER_CACHE_SECONDS (docs/decisions/0012)."""
    from loyalty.app.offers.cache import CachedOffers

    return CachedOffers(offer_store().get, settings().offer_cache_seconds)


@_per_container
def business_table() -> BusinessTable:
    from loyalty.adapters.dynamodb.businesses import BusinessTable

    return BusinessTable(aws_client("dynamodb"), settings().table_name)


@_per_container
def user_directory() -> CognitoDirectory:
    from loyalty.adapters.cognito.directory import CognitoDirectory

    return CognitoDirectory(aws_client("cognito-idp"), settings().user_pool_id)


@_per_container
def active_branches() -> CachedBranches:
    """A business's active branches, kept per container for OFFER_CACHE_SECONDS like the offers: a scan checks
    its manager's branch without a read of its own (docs/decisions/0012)."""
    from loyalty.app.staff.branch_cache import CachedBranches

    table = business_table()
    return CachedBranches(
        lambda business_id: {b.branch_id for b in table.branches(business_id) if b.active},
        settings().offer_cache_seconds,
    )


@_per_container
def issuance_store() -> DynamoIssuanceStore:
    from loyalty.adapters.dynamodb.issuances import DynamoIssuanceStore

    return DynamoIssuanceStore(aws_client("dynamodb"), settings().table_name)


@_per_container
def ledger() -> DynamoLedger:
    from loyalty.adapters.dynamodb.ledger import DynamoLedger

    return DynamoLedger(aws_client("dynamodb"), settings().table_name)


@_per_container
def activity_index() -> ActivityIndex:
    from loyalty.adapters.dynamodb.activity_index import ActivityIndex

    return ActivityIndex(aws_client("dynamodb"), settings().table_name)


@_per_container
def reminder_index() -> DynamoReminderIndex:
    from loyalty.adapters.dynamodb.reminders import DynamoReminderIndex

    return DynamoReminderIndex(aws_client("dynamodb"), settings().table_name)


@_per_container
def customer_store() -> CustomerStore:
    from loyalty.adapters.dynamodb.customers import CustomerStore

    return CustomerStore(aws_client("dynamodb"), settings().table_name)


@_per_container
def member_store() -> MemberStore:
    from loyalty.adapters.dynamodb.members import MemberStore

    return MemberStore(aws_client("dynamodb"), settings().table_name)


@_per_container
def member_directory() -> MemberDirectoryStore:
    from loyalty.adapters.dynamodb.member_directory import MemberDirectoryStore

    return MemberDirectoryStore(aws_client("dynamodb"), settings().table_name)


def inactivity_days() -> int:
    return settings().pass_inactivity_expiration_days


@_per_container
def stats_reader() -> StatsReader:
    from loyalty.adapters.dynamodb.stats import StatsReader

    return StatsReader(aws_client("dynamodb"), settings().table_name)


@_per_container
def wallet_previews() -> WalletPreviewRenderer:
    """What the wallets would show (the pass preview): the real pass builders, with no signing or secret."""
    from loyalty.adapters.apple.brand import offer_look
    from loyalty.adapters.wallet_preview import WalletPreviewRenderer

    config = settings()
    return WalletPreviewRenderer(
        config.pass_inactivity_expiration_days,
        lambda offer: offer_look(business_profiles(), offer),
        class_looks=google_class_look,
        issuer_name=config.google.issuer_name,
        program_logo_url=config.google.program_logo_url,
        apple_images=_apple_image_urls,
    )


def _apple_image_urls(offer: Offer) -> dict[str, str | None]:
    """The logo and strip the offer's Apple pass wears (its own brand, else the business's), where they are
    served."""
    profile = business_profiles().profile(offer.business_id)
    brand = offer.brand or (profile.brand if profile else None)
    if brand is None:
        return {"logo": None, "strip": None}
    logo, strip = brand.logo_image_id, brand.strip_image_id
    return {
        "logo": brand_image_url(logo, "logo@2x.png") if logo else None,
        "strip": brand_image_url(strip, "strip@2x.png") if strip else None,
    }


@_per_container
def _apple_wallet_store() -> AppleWalletStore:
    from loyalty.adapters.dynamodb.wallet_registrations import AppleWalletStore

    return AppleWalletStore(aws_client("dynamodb"), settings().table_name)


@_per_container
def throttle() -> ThrottleCounters:
    """The public door's rate-limit counters (atomic DynamoDB counters with a TTL)."""
    from loyalty.adapters.dynamodb.throttle import ThrottleCounters

    return ThrottleCounters(aws_client("dynamodb"), settings().table_name)


@_per_container
def recovery_links() -> RecoveryLinkStore:
    from loyalty.adapters.dynamodb.recovery_links import RecoveryLinkStore

    return RecoveryLinkStore(aws_client("dynamodb"), settings().table_name)


# ------------------------------------------------------------------------------------------------ recovery mail
@_per_container
def recovery_mail() -> RecoveryMail:
    """What mails a known email its pass's recovery link (SES), at most RECOVERY_MAILS_PER_HOUR a pass for each
    asking address."""
    from loyalty.adapters.ses.mailer import SesMailer
    from loyalty.app.customers.recovery import RecoveryMail
    from loyalty.domain.throttle import RateLimit, TooManyRequests

    config = settings()
    if not config.public_web_base_url:
        raise InvalidSettings(
            "invalid configuration: PUBLIC_WEB_BASE_URL is not set (recovery links would lead nowhere)"
        )
    hourly = RateLimit(config.recovery_mails_per_hour, 3600)
    addresses = RateLimit(RECOVERY_MAIL_ADDRESSES_PER_HOUR, 3600)

    def may_mail(pass_: Pass, requester: str) -> bool:
        # Counted per pass and asking address: a flood from other addresses spends their own allowance, never
        # the member's; at most RECOVERY_MAIL_ADDRESSES_PER_HOUR addresses may ask for one pass in an hour, so
        # no mailbox is flooded either. The pass's ids name the counter, never its email (no email digest
        # outlives an erasure).
        pass_ref = f"{pass_.customer_id}#{pass_.offer_id}"
        try:
            throttle().check_spread(
                ("recovery-mail", f"{pass_ref}|{requester}", hourly),
                ("recovery-mail-addresses", pass_ref, addresses),
                utc_now(),
            )
        except TooManyRequests:
            return False
        return True

    return RecoveryMail(
        links=recovery_links(),
        mailer=SesMailer(aws_client("sesv2"), config.mail_from_address),
        web_base_url=config.public_web_base_url,
        may_mail=may_mail,
    )


# ------------------------------------------------------------------------------------------------ credentials
@_per_container
def credential_workflows() -> StepFunctionsWorkflows:
    from loyalty.adapters.stepfunctions import StepFunctionsWorkflows

    arn = settings().credential_state_machine_arn
    if not arn:
        raise InvalidSettings("invalid configuration: CREDENTIAL_STATE_MACHINE_ARN is not set")
    return StepFunctionsWorkflows(aws_client("stepfunctions"), arn)


def _airkit_settings() -> AirKitSettings:
    airkit = settings().airkit
    if not airkit.enabled:
        raise InvalidSettings("invalid configuration: AIR Kit is off here (AIRKIT_PARTNER_ID is not set)")
    return airkit


@_per_container
def secrets() -> SecretSource:
    """This container's secret source: one Secrets Manager client, one cache lifetime for every secret, so a
    rotation is in use within that lifetime without a cold start."""
    from aws_lambda_powertools.utilities.parameters import SecretsProvider

    from loyalty.adapters.secrets import SecretSource

    return SecretSource(
        SecretsProvider(boto3_client=aws_client("secretsmanager")), settings().secrets_max_age_seconds
    )


@_per_container
def _origin_verify_secret() -> ParsedSecret[str] | None:
    from loyalty.adapters.secrets import ParsedSecret

    name = settings().origin_verify_secret_id
    return ParsedSecret(secrets(), name, str.strip) if name else None


def origin_verify() -> str | None:
    """What CloudFront sends as `X-Origin-Verify` on its requests to the API, or None where nothing is trusted."""
    secret = _origin_verify_secret()
    return secret() if secret is not None else None


@_per_container
def _partner_key_secret() -> ParsedSecret[PartnerKeyring]:
    from loyalty.adapters.airkit.partner_keys import keyring_from_secret
    from loyalty.adapters.secrets import ParsedSecret

    return ParsedSecret(secrets(), _airkit_settings().partner_key_secret_id, keyring_from_secret)


def partner_keyring() -> PartnerKeyring:
    """The partner keys in service now (re-read from the secret within its max age)."""
    return _partner_key_secret()()


@_per_container
def airkit_client() -> AirKitClient:
    from loyalty.adapters.airkit.client import AirKitClient
    from loyalty.adapters.http import new_client

    airkit = _airkit_settings()
    http = new_client(
        connect_seconds=airkit.connect_timeout_seconds, read_seconds=airkit.read_timeout_seconds
    )
    return AirKitClient(http, airkit, partner_keyring, utc_now)


# ------------------------------------------------------------------------------------------------ Apple Wallet
@_per_container
def apple_web_service() -> AppleWebService:
    """The PassKit web service; AppleWalletOff (404) where Apple Wallet is off."""
    from loyalty.adapters.apple.brand import ApplePassBrands
    from loyalty.adapters.apple.content import PassIssuer
    from loyalty.adapters.apple.credentials import parse_pass_signing
    from loyalty.adapters.apple.links import is_download_token
    from loyalty.adapters.apple.rendering import PassRenderer
    from loyalty.adapters.secrets import ParsedSecret
    from loyalty.app.wallets.apple_web_service import AppleWalletOff, AppleWebService

    config = settings()
    apple = config.apple
    if not apple.enabled:
        raise AppleWalletOff()
    renderer = PassRenderer(
        PassIssuer(apple.pass_type_id, apple.team_id, apple.organization_name, apple.base_url),
        ParsedSecret(secrets(), apple.certificate_secret_id, parse_pass_signing),
        config.pass_inactivity_expiration_days,
        ApplePassBrands(business_profiles(), brand_images()),
        web_base_url=config.public_web_base_url,
        web_service_url=apple_web_service_url(),
    )
    from loyalty.adapters.dynamodb.campaigns import DynamoCampaignStore

    return AppleWebService(
        pass_store(),
        _apple_wallet_store(),
        renderer,
        utc_now,
        is_download_token,
        campaign_outcomes(),
        DynamoCampaignStore(aws_client("dynamodb"), settings().table_name),
    )


@_per_container
def apple_web_service_url() -> Callable[[], str]:
    """`webServiceURL` of a pass rendered now: the Apple Wallet function's URL, named in the environment where the
    template can name it, else read once per container from the SSM parameter the template writes it to; the
    stage's origin where there is neither (docs/decisions/0021j)."""
    from loyalty.adapters.apple.web_service_address import WEB_SERVICE_PATH, WebServiceAddress

    apple = settings().apple
    if apple.function_url:
        named = apple.function_url.rstrip("/") + WEB_SERVICE_PATH
        return lambda: named
    if not apple.web_service_url_parameter:
        return lambda: apple.base_url
    return WebServiceAddress(aws_client("ssm"), apple.web_service_url_parameter, apple.base_url)


def apple_certificate_lives() -> list[CertificateLife]:
    """The Apple certificates' ends, read from the pass certificate secret; AppleWalletOff where it is off."""
    from loyalty.adapters.apple.credentials import certificate_lives, parse_pass_signing
    from loyalty.adapters.secrets import ParsedSecret
    from loyalty.app.wallets.apple_web_service import AppleWalletOff
    from loyalty.app.wallets.certificate_expiry import CertificateLife

    apple = settings().apple
    if not apple.enabled:
        raise AppleWalletOff()
    credentials = ParsedSecret(secrets(), apple.certificate_secret_id, parse_pass_signing)()
    return [CertificateLife(name, not_after) for name, not_after in certificate_lives(credentials)]


@_per_container
def apple_notifier() -> ApplePassNotifier | None:
    """What the wallet sync pushes through; None where Apple Wallet is off."""
    from loyalty.adapters.apple.credentials import parse_apns_key, parse_pass_signing
    from loyalty.adapters.apple.push import ApnsClient, ApplePassNotifier, ProviderToken
    from loyalty.adapters.secrets import ParsedSecret

    apple = settings().apple
    if not apple.enabled:
        return None
    if apple.apns_auth == "certificate":
        credentials = ParsedSecret(secrets(), apple.certificate_secret_id, parse_pass_signing)()
        client = ApnsClient.connect_with_certificate(apple.apns_url, credentials, apple.apns_timeout_seconds)
    else:
        token = ProviderToken(
            ParsedSecret(secrets(), apple.apns_key_secret_id, parse_apns_key), apple.team_id
        )
        client = ApnsClient.connect(apple.apns_url, token, apple.apns_timeout_seconds)
    return ApplePassNotifier(_apple_wallet_store(), client)


# ------------------------------------------------------------------------------------------------ Google Wallet
@_per_container
def _google_service_account() -> ParsedSecret[ServiceAccount]:
    from loyalty.adapters.google.service_account import parse_service_account
    from loyalty.adapters.secrets import ParsedSecret

    return ParsedSecret(secrets(), settings().google.service_account_secret_id, parse_service_account)


@_per_container
def google_wallet_passes() -> GoogleWalletPasses | None:
    """What the wallet sync and refresh keep Google's objects current with; None where Google Wallet is off."""
    from loyalty.adapters.google.client import WalletObjectsClient
    from loyalty.adapters.google.oauth import ServiceAccountTokens
    from loyalty.adapters.google.passes import GoogleWalletPasses
    from loyalty.adapters.http import new_client

    google = settings().google
    if not google.enabled:
        return None
    http = new_client(
        connect_seconds=google.request_timeout_seconds, read_seconds=google.request_timeout_seconds
    )
    tokens = ServiceAccountTokens(_google_service_account(), google.token_url, http)
    return GoogleWalletPasses(
        WalletObjectsClient(google.api_base_url, tokens, http),
        issuer_id=google.issuer_id,
        issuer_name=google.issuer_name,
        program_logo_url=google.program_logo_url,
        looks=google_class_look,
        inactivity_days=settings().pass_inactivity_expiration_days,
        # Only a full address (a stage without its public origin has none to give Google).
        callback_url=google.callback_url if google.callback_url.startswith(("https://", "http://")) else None,
        window=_notification_window(),
        hold=_notice_hold(),
    )


def _notice_hold() -> Any:
    """Where a pass's notifying Google message waits for its window: the campaign queue, where one is set."""
    if not settings().campaign_queue_url:
        return None

    def hold(notice: Any, delay_seconds: int) -> None:
        _campaign_queue().send([notice], delay_seconds=delay_seconds)

    return hold


def _notification_window() -> Any:
    from loyalty.adapters.dynamodb.campaigns import GoogleNotificationWindow

    return GoogleNotificationWindow(aws_client("dynamodb"), settings().table_name)


@_per_container
def _google_wallet_links() -> GoogleWalletLinks | None:
    from loyalty.adapters.google.save_link import GoogleWalletLinks

    google = settings().google
    if not google.enabled:
        return None
    return GoogleWalletLinks(google.issuer_id, _google_service_account(), google.save_url_prefix)


def ensure_google_wallet_pass(offer: Offer, pass_: Pass) -> None:
    """Make sure the offer's LoyaltyClass and the pass's LoyaltyObject exist at Google, before a save link for
    them leaves (the link carries only ids: a tap before the insert would fail). Idempotent with the wallet sync's
    insert from the stream (409 is "already there"). Nothing to do where Google Wallet is off; a Google failure is
    raised (GoogleWalletError), so the caller answers 5xx rather than a link that does not work."""
    passes = google_wallet_passes()
    if passes is not None:
        passes.ensure_object(offer, pass_, offer.ladder.standing(pass_.rewards_claimed))


def wallet_links(pass_: Pass) -> dict[str, str] | None:
    """The enroll answer's `wallet` block (a `WalletLinks`): `appleWalletUrl` and `googleWalletSaveUrl`, each
    only where that wallet is on; None where neither is."""
    from loyalty.adapters.apple.links import apple_wallet_url

    links: dict[str, str] = {}
    apple = settings().apple
    if apple.enabled:
        links["appleWalletUrl"] = apple_wallet_url(
            apple_web_service_url()(), pass_.customer_id, pass_.offer_id, pass_.auth_token, utc_now()
        )
    google = _google_wallet_links()
    if google is not None:
        links["googleWalletSaveUrl"] = google.save_url(pass_.customer_id, pass_.offer_id)
    return links or None


def slowest_pass_update_seconds() -> float:
    """How long one pass's wallet update may take at the slowest, for functions that stop before their timeout:
    three Google requests (a token grant, then a class and an object insert, or a PATCH and its fallback insert)
    each up to their timeout, one APNs request on the open HTTP/2 connection (one device, usually), and two
    seconds of our own work (a DynamoDB write or read among it)."""
    config = settings()
    return 3 * config.google.request_timeout_seconds + config.apple.apns_timeout_seconds + 2


# ------------------------------------------------------------------------------------------------ wallet jobs
def _ladder_refresh() -> LadderRefreshStarter | None:
    from loyalty.adapters.sqs.refresh_queue import SqsRefreshQueue
    from loyalty.app.wallets.refresh import LadderRefreshStarter

    queue_url = settings().wallet_refresh_queue_url
    return LadderRefreshStarter(SqsRefreshQueue(aws_client("sqs"), queue_url)) if queue_url else None


@_per_container
def wallets() -> Wallets:
    """Who the wallet sync tells about pass changes."""
    from loyalty.app.wallets.sync import Wallets

    return Wallets(
        offers=offer_store(),
        apple=apple_notifier(),
        google=_recorded_google(google_wallet_passes()),
        ladders=_ladder_refresh(),
        brands=brand_refresh(),
    )


@_per_container
def wallet_refresh() -> WalletRefresh:
    """The redraw of an offer's wallets after its ladder changed."""
    from loyalty.adapters.dynamodb.offer_passes import OfferPassStore
    from loyalty.adapters.sqs.refresh_queue import SqsRefreshQueue
    from loyalty.app.wallets.refresh import WalletRefresh

    queue_url = settings().wallet_refresh_queue_url
    if not queue_url:
        raise InvalidSettings("invalid configuration: WALLET_REFRESH_QUEUE_URL is not set")
    return WalletRefresh(
        offers=offer_store(),
        passes=OfferPassStore(aws_client("dynamodb"), settings().table_name),
        queue=SqsRefreshQueue(aws_client("sqs"), queue_url),
        apple=apple_notifier(),
        google=google_wallet_passes(),
        clock=utc_now,
    )


# ------------------------------------------------------------------------------------------------ brand
@_per_container
def business_profiles() -> BusinessProfileStore:
    from loyalty.adapters.dynamodb.business_profiles import BusinessProfileStore

    return BusinessProfileStore(aws_client("dynamodb"), settings().table_name)


def brand_image_url(image_id: str, rendition: str) -> str:
    """Brand images are served from the web origin (`/brand-images/…`): Google fetches a pass's images there."""
    return f"{settings().public_web_base_url.rstrip('/')}/brand-images/{image_id}/{rendition}"


@_per_container
def brand_images() -> S3BrandImages:
    from loyalty.adapters.images.s3 import S3BrandImages

    return S3BrandImages(aws_client("s3"), settings().brand_images_bucket)


def draw_renditions() -> DrawRenditions:
    from loyalty.adapters.images.renditions import renditions

    return renditions


def google_class_look(offer: Offer) -> ClassLook | None:
    """The brand of an offer's Google class (its own, else the business's); its images only where the web
    origin's address is known (Google fetches them from there)."""
    from loyalty.adapters.google.looks import class_look

    served = settings().public_web_base_url.startswith(("https://", "http://"))
    return class_look(
        offer, business_profiles().profile(offer.business_id), brand_image_url if served else None
    )


def brand_refresh() -> BrandChanged | None:
    """What a saved brand starts: every offer of the business redrawn through the wallet refresh (None where
    no refresh queue is set: the wallets then follow the brand as each pass next changes)."""
    from loyalty.app.brand.brand_refresh import BrandRefresh

    starter = _ladder_refresh()
    return BrandRefresh(offer_store(), starter) if starter is not None else None


# ------------------------------------------------------------------------------------------------ wallet delivery
@_per_container
def wallet_deliveries() -> WalletDeliveries:
    """Each pass's delivery record (the members' `wallet` block)."""
    from loyalty.adapters.dynamodb.wallet_delivery import WalletDeliveryStore

    return WalletDeliveryStore(aws_client("dynamodb"), settings().table_name)


@_per_container
def wallet_counts() -> WalletCounts:
    """The offers' `wallets` counts, kept by the ledger from the stream."""
    from loyalty.adapters.dynamodb.wallet_delivery import WalletCountStore

    return WalletCountStore(aws_client("dynamodb"), settings().table_name)


def _recorded_google(passes: GoogleWalletPasses | None) -> GoogleWalletUpdater | None:
    """The wallet sync's Google updates, each outcome kept on the pass's delivery record."""
    from loyalty.adapters.dynamodb.wallet_delivery import WalletDeliveryStore
    from loyalty.adapters.google.recorded import RecordedGoogleUpdates

    if passes is None:
        return None
    return RecordedGoogleUpdates(passes, WalletDeliveryStore(aws_client("dynamodb"), settings().table_name))


@_per_container
def google_callbacks() -> GoogleCallbackCheck:
    """The check of Google's signed save/delete callbacks; GoogleWalletOff (404) where Google Wallet is off."""
    from loyalty.adapters.google.callbacks import CallbackVerifier, PublishedRootKeys
    from loyalty.adapters.http import new_client
    from loyalty.app.wallets.google_callbacks import GoogleWalletOff

    google = settings().google
    if not google.enabled:
        raise GoogleWalletOff()
    http = new_client(
        connect_seconds=google.request_timeout_seconds, read_seconds=google.request_timeout_seconds
    )
    return CallbackVerifier(PublishedRootKeys(google.callback_keys_url, http), google.issuer_id)


def google_saves() -> GoogleSaves:
    from loyalty.adapters.dynamodb.wallet_delivery import WalletDeliveryStore

    return WalletDeliveryStore(aws_client("dynamodb"), settings().table_name)


# ------------------------------------------------------------------------------------------------ campaigns
def _campaign_queue() -> Any:
    from loyalty.adapters.sqs.campaign_queue import SqsCampaignQueue

    queue_url = settings().campaign_queue_url
    if not queue_url:
        raise InvalidSettings("invalid configuration: CAMPAIGN_QUEUE_URL is not set")
    return SqsCampaignQueue(aws_client("sqs"), queue_url)


def _campaign_audience() -> Any:
    from loyalty.adapters.dynamodb.campaigns import DynamoCampaignAudience

    return DynamoCampaignAudience(
        aws_client("dynamodb"), settings().table_name, settings().pass_inactivity_expiration_days
    )


@_per_container
def campaign_desk() -> CampaignDesk:
    """The owner's campaign routes: create, list, read."""
    from loyalty.adapters.dynamodb.campaigns import DynamoCampaignStore
    from loyalty.app.campaigns.create import CampaignDesk
    from loyalty.domain.clock import utc_now

    return CampaignDesk(
        campaigns=DynamoCampaignStore(aws_client("dynamodb"), settings().table_name),
        offers=offer_store(),
        audience=_campaign_audience(),
        branches=business_table(),
        queue=_campaign_queue(),
        clock=utc_now,
        ttl_hours=settings().idempotency_ttl_hours,
    )


@_per_container
def campaign_fanout() -> CampaignFanOut:
    """The campaign queue's worker: plans, deliveries, and Google messages held back by the pass's window."""
    from loyalty.adapters.campaign_wallets import AppleGoogleCampaignWallets
    from loyalty.adapters.dynamodb.campaigns import DynamoCampaignStore, GoogleNotificationWindow
    from loyalty.adapters.google.client import WalletObjectsClient
    from loyalty.adapters.google.notices import GoogleNotices
    from loyalty.adapters.google.oauth import ServiceAccountTokens
    from loyalty.adapters.http import new_client
    from loyalty.app.campaigns.fanout import CampaignFanOut
    from loyalty.domain.clock import utc_now

    google = settings().google
    objects = None
    if google.enabled:
        http = new_client(
            connect_seconds=google.request_timeout_seconds, read_seconds=google.request_timeout_seconds
        )
        tokens = ServiceAccountTokens(_google_service_account(), google.token_url, http)
        objects = WalletObjectsClient(google.api_base_url, tokens, http)
    apple = apple_notifier()
    dynamodb = aws_client("dynamodb")
    return CampaignFanOut(
        campaigns=DynamoCampaignStore(dynamodb, settings().table_name),
        offers=offer_store(),
        audience=_campaign_audience(),
        queue=_campaign_queue(),
        wallets=AppleGoogleCampaignWallets(apple, objects, google.issuer_id),
        window=GoogleNotificationWindow(dynamodb, settings().table_name),
        clock=utc_now,
        google_on=objects is not None,
        apple_on=apple is not None,
        notices=GoogleNotices(
            pass_store(), objects, google.issuer_id, settings().pass_inactivity_expiration_days
        )
        if objects is not None
        else None,
    )


# ------------------------------------------------------------------------------------------------ exports
@_per_container
def export_jobs() -> ExportStore:
    from loyalty.adapters.dynamodb.exports import ExportStore

    return ExportStore(aws_client("dynamodb"), settings().table_name)


@_per_container
def export_files() -> S3ExportFiles:
    from loyalty.adapters.s3.export_files import S3ExportFiles

    return S3ExportFiles(aws_client("s3"), settings().export_bucket)


@_per_container
def export_queue() -> SqsExportQueue:
    from loyalty.adapters.sqs.export_queue import SqsExportQueue

    return SqsExportQueue(aws_client("sqs"), settings().export_queue_url)


@_per_container
def campaign_outcomes() -> CampaignOutcomeStore:
    """A campaign's `fetched` and `wonBack`, each counted once (the Apple web service, the ledger consumer)."""
    from loyalty.adapters.dynamodb.campaign_outcomes import CampaignOutcomeStore

    return CampaignOutcomeStore(aws_client("dynamodb"), settings().table_name)
