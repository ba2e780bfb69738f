// The confirmation form's chunk (with its billing_incomplete and provider_billing_incomplete displays), loaded when a session is picked.
import { ConfirmForm } from '../../components/ConfirmForm';
import { provideView } from '../lazy-views';

provideView('confirmForm', { ConfirmForm });
