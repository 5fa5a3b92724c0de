from __future__ import annotations

from ninja import Router

from mamori.core.contracts import CLAUSES
from mamori.platform.api.crud import register
from mamori.platform.api.schemas import input_schemas, output_schema
from mamori.vendors.actions import prepare_contract
from mamori.vendors.forms import ContractForm, EntrustmentForm, VendorForm
from mamori.vendors.models import Contract, Entrustment, Vendor

vendors_router = Router(tags=["vendors"])
entrustments_router = Router(tags=["entrustments"])
contracts_router = Router(tags=["contracts"])


VendorCreate, VendorIn = input_schemas(Vendor, VendorForm, name="Vendor", module=__name__)
VendorOut = output_schema(
    Vendor,
    [*VendorForm._meta.fields, "inherent_tier", "tier_explanation"],
    name="VendorOut",
    module=__name__,
)

EntrustmentCreate, EntrustmentIn = input_schemas(
    Entrustment, EntrustmentForm, name="Entrustment", module=__name__
)
EntrustmentOut = output_schema(
    Entrustment,
    [
        "vendor",
        "data_asset",
        "parent",
        "items",
        "special_care",
        "individuals",
        "purpose",
        "access_method",
        "starts_on",
        "ends_on",
        "end_handling",
        "approved",
    ],
    name="EntrustmentOut",
    module=__name__,
)

CONTRACT_FIELDS = ["vendor", "title", "status", "starts_on", "ends_on", "auto_renewal", "clauses"]
ContractCreate, ContractIn = input_schemas(
    Contract,
    ContractForm,
    name="Contract",
    fields=CONTRACT_FIELDS,  # the clauses as one object rather than the form's clause_* boxes
    types={"clauses": dict[str, bool]},
    module=__name__,
)


def missing_clauses(obj) -> list[str]:
    return [code for code, _l, _p in CLAUSES if not (obj.clauses or {}).get(code)]


ContractOut = output_schema(
    Contract,
    [*CONTRACT_FIELDS, "missing_clauses", "suggested_clauses", "document_name", "document_sha256"],
    name="ContractOut",
    types={"clauses": dict[str, bool], "missing_clauses": list[str]},
    resolvers={"missing_clauses": missing_clauses},
    module=__name__,
)


def contract_form_data(data: dict) -> dict:
    clauses = data.pop("clauses", None)
    if clauses is not None:
        for code, _l, _p in CLAUSES:
            data[f"clause_{code}"] = bool(clauses.get(code))
    return data


register(
    vendors_router,
    model=Vendor,
    form_class=VendorForm,
    out=VendorOut,
    create_in=VendorCreate,
    update_in=VendorIn,
    search=["name", "corporate_number", "services", "tags"],
    label="vendors",
    filters={"status": lambda qs, v: qs.filter(status=v), "tier": lambda qs, v: qs.filter(inherent_tier=v)},
    filter_fields={"tier": "inherent_tier"},
)
register(
    entrustments_router,
    model=Entrustment,
    form_class=EntrustmentForm,
    out=EntrustmentOut,
    create_in=EntrustmentCreate,
    update_in=EntrustmentIn,
    search=["purpose", "vendor__name", "data_asset__name"],
    select_related=("vendor", "data_asset", "parent"),
    label="entrustments",
    filters={
        "vendor": lambda qs, v: qs.filter(vendor__uuid=v),
        "data_asset": lambda qs, v: qs.filter(data_asset__uuid=v),
    },
)
register(
    contracts_router,
    model=Contract,
    form_class=ContractForm,
    out=ContractOut,
    create_in=ContractCreate,
    update_in=ContractIn,
    search=["title", "vendor__name"],
    select_related=("vendor",),
    label="contracts",
    to_form=contract_form_data,
    prepare=prepare_contract,
    filters={"vendor": lambda qs, v: qs.filter(vendor__uuid=v)},
)
