// Once django-otp-webauthn's script has added a passkey, show it on "Your account".
document.addEventListener("otp_webauthn.register_complete", () => {
  const page = document.querySelector("[data-passkey-added-url]");
  if (page) {
    window.location.assign(page.dataset.passkeyAddedUrl);
  }
});
