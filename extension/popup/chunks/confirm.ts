// The Confirm chunk: the model of the list and of the confirmation form, and the list's view.
import { ConfirmView } from '../../components/ConfirmView';
import { createConfirmModel } from '../confirm-model';
import { provideView } from '../lazy-views';

provideView('confirm', { ConfirmView, createConfirmModel });
