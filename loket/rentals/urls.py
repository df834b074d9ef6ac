"""Staff screens of the hall, under /staf/gedung/: the month board (Papan Penyewa), taking an
order, a booking and its acts and papers, the retribution report and the Buku Register Penyewa,
the deposits to the Kas Daerah (STS), the Buku Penerimaan dan Penyetoran and the reconciliation."""

from django.urls import path

from loket.rentals import report_views, staff_views, treasury_views

app_name = "rentals"

urlpatterns = [
    path("", staff_views.board, name="board"),
    path("baru/", staff_views.booking_new, name="new"),
    path("laporan/", report_views.retribution, name="retribution"),
    path("laporan.xlsx", report_views.retribution_xlsx, name="retribution_xlsx"),
    path("laporan.pdf", report_views.retribution_pdf, name="retribution_pdf"),
    path("register/<int:year>.xlsx", report_views.register_xlsx, name="register_xlsx"),
    path("register/<int:year>.pdf", report_views.register_pdf, name="register_pdf"),
    path("kas/", treasury_views.deposits, name="deposits"),
    path("kas/sts/<int:year>/<int:number>.pdf", treasury_views.sts_pdf, name="sts_pdf"),
    path("kas/buku/", treasury_views.cash_book, name="cash_book"),
    path("kas/buku.xlsx", treasury_views.cash_book_xlsx, name="cash_book_xlsx"),
    path("kas/buku.pdf", treasury_views.cash_book_pdf, name="cash_book_pdf"),
    path("kas/rekonsiliasi/", treasury_views.reconciliation, name="reconciliation"),
    path("kas/rekonsiliasi.xlsx", treasury_views.reconciliation_xlsx, name="reconciliation_xlsx"),
    path("kas/rekonsiliasi.pdf", treasury_views.reconciliation_pdf, name="reconciliation_pdf"),
    path("<str:code>/", staff_views.detail, name="detail"),
    path("<str:code>/kertas/<slug:paper>.pdf", staff_views.paper, name="paper"),
    path("<str:code>/<slug:action>/", staff_views.act, name="act"),
]
